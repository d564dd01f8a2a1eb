package hudson.model;

/** Subset of jenkins-core {@code hudson.model.StringParameterValue} (jenkins-2.541.3). */
public class StringParameterValue extends ParameterValue {
    public StringParameterValue(String name, String value) {
        super(name);
        throw new UnsupportedOperationException();
    }
}
