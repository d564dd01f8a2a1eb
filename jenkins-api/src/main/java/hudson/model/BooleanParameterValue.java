package hudson.model;

/** Subset of jenkins-core {@code hudson.model.BooleanParameterValue} (jenkins-2.541.3). */
public class BooleanParameterValue extends ParameterValue {
    public BooleanParameterValue(String name, boolean value) {
        super(name);
        throw new UnsupportedOperationException();
    }
}
