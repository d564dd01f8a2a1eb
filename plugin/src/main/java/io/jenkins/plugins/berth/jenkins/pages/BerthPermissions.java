package io.jenkins.plugins.berth.jenkins.pages;

import hudson.model.Item;
import hudson.security.Permission;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import org.jvnet.localizer.Localizable;
import org.jvnet.localizer.ResourceBundleHolder;

/**
 * Berth's permission group: the Environments page's buttons, each granted on a folder (or above it).
 * Each is implied by Item/Configure, so whoever may configure the folder may use them until an
 * administrator grants them apart, for example Tear down to a team that may not configure jobs.
 */
public final class BerthPermissions {

    private static final ResourceBundleHolder MESSAGES = ResourceBundleHolder.get(BerthPermissions.class);

    public static final PermissionGroup GROUP = new PermissionGroup("berth", BerthPermissions.class,
            new Localizable(MESSAGES, "Group"));

    public static final Permission TEARDOWN = new Permission(GROUP, "Teardown",
            new Localizable(MESSAGES, "Teardown.Description"), Item.CONFIGURE, PermissionScope.ITEM);

    public static final Permission REDEPLOY = new Permission(GROUP, "Redeploy",
            new Localizable(MESSAGES, "Redeploy.Description"), Item.CONFIGURE, PermissionScope.ITEM);

    public static final Permission PIN = new Permission(GROUP, "Pin",
            new Localizable(MESSAGES, "Pin.Description"), Item.CONFIGURE, PermissionScope.ITEM);

    /** Lets an untrusted change (a pull request) deploy with its credentials, under the folder's approval policy. */
    public static final Permission APPROVE = new Permission(GROUP, "Approve",
            new Localizable(MESSAGES, "Approve.Description"), Item.CONFIGURE, PermissionScope.ITEM);

    private BerthPermissions() {}

    /**
     * Registers the permissions while Jenkins starts, before anything lists them: an authorization strategy's
     * configuration page and the implications it computes see only permissions whose class was loaded
     * (workflow-cps' ReplayAction does the same).
     */
    @Initializer(after = InitMilestone.PLUGINS_STARTED, before = InitMilestone.EXTENSIONS_AUGMENTED)
    public static void ensureRegistered() {
        // Calling this static method initializes the class, which creates (and so registers) the permissions.
    }
}
