package io.teledrop.drop;

/** The password given to unlock a drop is not its password. */
public class WrongPasswordException extends TeledropException {

    public WrongPasswordException() {
        super("That is not the drop's password.");
    }
}
