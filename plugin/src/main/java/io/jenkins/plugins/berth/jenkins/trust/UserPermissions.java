package io.jenkins.plugins.berth.jenkins.trust;

import hudson.model.User;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Whether a user named by id (an approver, the user who started a build) holds a permission on something. */
final class UserPermissions {

    private UserPermissions() {}

    /** False for no id, an unknown user, or one the security realm cannot load. */
    static boolean holds(String userId, AccessControlled on, Permission permission) {
        User user = userId == null ? null : User.getById(userId, false);
        if (user == null) {
            return false;
        }
        try {
            return on.hasPermission2(user.impersonate2(), permission);
        } catch (UsernameNotFoundException e) {
            return false;
        }
    }
}
