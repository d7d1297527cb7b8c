package io.teledrop.drop;

/** Another drop already has the requested slug. */
public class SlugTakenException extends TeledropException {

    private final String slug;

    public SlugTakenException(String slug) {
        super("The slug '" + slug + "' is already taken; choose another or leave it out to get a generated one.");
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}
