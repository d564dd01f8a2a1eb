package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Actionable} (jenkins-2.541.3). */
public abstract class Actionable {
    public void addAction(Action a) {
        throw new UnsupportedOperationException();
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException();
    }

    public <T extends Action> java.util.List<T> getActions(Class<T> type) {
        throw new UnsupportedOperationException();
    }

    public boolean removeAction(Action a) {
        throw new UnsupportedOperationException();
    }
}
