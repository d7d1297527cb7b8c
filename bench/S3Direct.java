import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The reference for bench/s3.sh: the AWS SDK v2 transfer manager (its Java multipart client, parts in parallel)
 * uploading a file straight to an S3 server, or downloading an object to a file. Run with the SDK's jars on the
 * class path (bench/s3.sh resolves them; the build does not need them):
 *   java -cp CLASSPATH bench/S3Direct.java upload|download ENDPOINT BUCKET KEY FILE ACCESS_KEY SECRET_KEY PART_MIB
 * Prints the seconds the transfer took.
 */
public class S3Direct {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long partBytes = Long.parseLong(args[7]) << 20;
        try (S3AsyncClient s3 = S3AsyncClient.builder()
                .endpointOverride(URI.create(args[1]))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[5], args[6])))
                // Downloads by part number (GetObject partNumber=N), the multipart client's way, S3Proxy 4.1.0 refuses (501):
                // the download is one streamed GET into the file, as Teledrop's own read of an object is.
                .multipartEnabled(mode.equals("upload"))
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(partBytes).thresholdInBytes(partBytes))
                // The SDK's multipart client states the object's size on completion (x-amz-mp-object-size), a header
                // S3Proxy 4.1.0 refuses with 501; it is only a check, so it is left out.
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                        return context.httpRequest().toBuilder().removeHeader("x-amz-mp-object-size").build();
                    }
                }))
                .build();
             S3TransferManager transfers = S3TransferManager.builder().s3Client(s3).build()) {
            Path file = Path.of(args[4]);
            long start = System.nanoTime();
            if (mode.equals("upload")) {
                transfers.uploadFile(u -> u.source(file).putObjectRequest(p -> p.bucket(args[2]).key(args[3]))).completionFuture().join();
            } else {
                Files.deleteIfExists(file);
                transfers.downloadFile(d -> d.destination(file).getObjectRequest(g -> g.bucket(args[2]).key(args[3]))).completionFuture().join();
            }
            System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
        }
    }
}
