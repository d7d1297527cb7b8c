import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * SHA-256 alone, as the upload path feeds it (64 KiB chunks), on one core: the ceiling hashing puts on a
 * single upload. Run with: java bench/Sha256Speed.java [MiB, default 2048]. Prints MB/s (median of 5).
 */
public class Sha256Speed {
    public static void main(String[] args) throws Exception {
        long total = Long.parseLong(args.length > 0 ? args[0] : "2048") << 20;
        byte[] chunk = new byte[64 * 1024];
        new SplittableRandom(1).nextBytes(chunk);
        double[] rates = new double[5];
        for (int run = -2; run < rates.length; run++) { // two warm-up runs for the JIT
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long start = System.nanoTime();
            for (long done = 0; done < total; done += chunk.length) {
                sha.update(chunk);
            }
            sha.digest();
            if (run >= 0) {
                rates[run] = total / ((System.nanoTime() - start) / 1e9) / 1e6;
            }
        }
        Arrays.sort(rates);
        System.out.printf("%.0f%n", rates[rates.length / 2]);
    }
}
