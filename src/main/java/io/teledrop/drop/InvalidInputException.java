package io.teledrop.drop;

import java.util.List;

/** A request's values break the rules; {@link #fieldErrors()} says which field and why. */
public class InvalidInputException extends TeledropException {

    /** One offending field. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> fieldErrors;

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public InvalidInputException(List<FieldError> fieldErrors) {
        super(fieldErrors.size() == 1 ? fieldErrors.get(0).field() + ": " + fieldErrors.get(0).message()
                : fieldErrors.size() + " fields are invalid");
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
