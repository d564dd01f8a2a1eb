package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Cause} (jenkins-2.541.3). */
public abstract class Cause {
    public abstract String getShortDescription();

    public static class UserIdCause extends Cause {
        public UserIdCause() {
            throw new UnsupportedOperationException();
        }

        public UserIdCause(String userId) {
            throw new UnsupportedOperationException();
        }

        public String getUserId() {
            throw new UnsupportedOperationException();
        }

        public String getShortDescription() {
            throw new UnsupportedOperationException();
        }
    }
}
