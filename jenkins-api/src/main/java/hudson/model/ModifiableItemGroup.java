package hudson.model;

/** Subset of jenkins-core {@code hudson.model.ModifiableItemGroup} (jenkins-2.541.3). */
public interface ModifiableItemGroup<T extends Item> extends ItemGroup<T> {}
