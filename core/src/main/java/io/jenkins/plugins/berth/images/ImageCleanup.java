package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes from the registry the images only a torn-down environment used. An image stays when another
 * environment that is not gone runs it, or when any tag but the environment's own names it (its commit
 * tag, its environment tag (its name) and content tags are its own; {@code latest}, release stages and extra tags are not). The
 * registry API deletes a manifest with all its tags, so it is deleted only when no tag would be lost.
 * While any record cannot be read, every image stays: that environment may run it.
 */
public final class ImageCleanup {

    private final RegistryClients clients;
    private final StateStore state;

    public ImageCleanup(RegistryClients clients, StateStore state) {
        this.clients = clients;
        this.state = state;
    }

    public void clean(EnvironmentRecord record, Log log) throws BerthException, IOException {
        if (record.images().isEmpty()) {
            return;
        }
        StateStore.Records records = state.records();
        if (!records.unreadable().isEmpty()) {
            // The unreadable record may run the same image: deleting it could break that environment.
            for (StateStore.Unreadable unreadable : records.unreadable()) {
                log.warning(unreadable.message());
            }
            log.warning("images of " + record.name() + ": kept, as " + records.unreadable().size()
                    + " record(s) cannot be read to tell whether they run them");
            return;
        }
        List<EnvironmentRecord> others = records.readable().stream()
                .filter(r -> !r.name().equals(record.name()) && !r.isGone()).toList();
        for (Map.Entry<String, String> image : record.images().entrySet()) {
            ImageReference pinned = ImageReference.parse(image.getValue());
            String digest = pinned.digest().orElseThrow();
            List<String> users = others.stream().filter(r -> r.images().containsValue(image.getValue()))
                    .map(EnvironmentRecord::name).toList();
            if (!users.isEmpty()) {
                log.info("image " + image.getKey() + ": kept, " + String.join(", ", users) + " also run it");
                continue;
            }
            RegistryClient client = clients.of(pinned.registry());
            List<String> foreign = new ArrayList<>();
            List<String> own = new ArrayList<>();
            for (String tag : client.listTags(pinned.repository())) {
                boolean same = client.headManifest(pinned.repository(), tag).map(h -> h.digest().equals(digest))
                        .orElse(false);
                if (same) {
                    boolean mine = tag.startsWith(ContentTag.PREFIX) || tag.equals(record.name())
                            || record.commit().map(tag::equals).orElse(false);
                    (mine ? own : foreign).add(tag);
                }
            }
            if (!foreign.isEmpty()) {
                log.info("image " + image.getKey() + ": kept, also tagged " + String.join(", ", foreign));
                continue;
            }
            client.deleteManifest(pinned.repository(), digest);
            log.info("image " + image.getKey() + ": deleted " + pinned + (own.isEmpty() ? ""
                    : " (tags " + String.join(", ", own) + ")"));
        }
    }
}
