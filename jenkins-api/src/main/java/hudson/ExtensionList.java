package hudson;

/** Subset of jenkins-core {@code hudson.ExtensionList} (jenkins-2.541.3): only the singleton lookup. */
public class ExtensionList<T> {
    private ExtensionList() {
        throw new UnsupportedOperationException();
    }

    public static <U> U lookupSingleton(Class<U> type) {
        throw new UnsupportedOperationException();
    }
}
