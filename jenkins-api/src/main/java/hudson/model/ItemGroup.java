package hudson.model;

import java.io.File;
import java.io.IOException;
import java.util.Collection;
import org.springframework.security.access.AccessDeniedException;

/** Subset of jenkins-core {@code hudson.model.ItemGroup} (jenkins-2.541.3). */
public interface ItemGroup<T extends Item> {
    String getFullName();

    Collection<T> getItems();

    String getUrl();

    String getUrlChildPrefix();

    T getItem(String name) throws AccessDeniedException;

    File getRootDirFor(T child);

    void onDeleted(T item) throws IOException;
}
