package io.jenkins.plugins.berth.environments;

import hudson.security.Permission;
import hudson.security.PermissionGroup;
import jenkins.model.Jenkins;
import org.jvnet.localizer.Localizable;
import org.jvnet.localizer.ResourceBundleHolder;

/**
 * Berth's permission group. {@link #MANAGE} (pin, unpin) is implied by Administer, so that on a
 * stock matrix only administrators change environments until someone grants it.
 */
public final class BerthPermissions {

    private static final ResourceBundleHolder MESSAGES = ResourceBundleHolder.get(BerthPermissions.class);

    public static final PermissionGroup GROUP = new PermissionGroup("berth", BerthPermissions.class,
            new Localizable(MESSAGES, "Group"));

    public static final Permission MANAGE = new Permission(GROUP, "Manage",
            new Localizable(MESSAGES, "Manage.Description"), Jenkins.ADMINISTER);

    private BerthPermissions() {}
}
