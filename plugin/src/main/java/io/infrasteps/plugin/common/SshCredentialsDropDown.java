package io.infrasteps.plugin.common;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import hudson.security.ACL;
import java.util.Collections;
import jenkins.model.Jenkins;

/** The SSH key credential drop-down of the steps that reach proxies, filled only after a permission check. */
public final class SshCredentialsDropDown {
    private SshCredentialsDropDown() {
    }

    public static ListBoxModel fill(Item item, String credentialsId) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null) {
            Jenkins jenkins = Jenkins.get();
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(credentialsId);
            }
            return result.includeEmptyValue()
                    .includeMatchingAs(ACL.SYSTEM2, jenkins, SSHUserPrivateKey.class, Collections.emptyList(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(credentialsId);
        }
        if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(credentialsId);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, item, SSHUserPrivateKey.class, Collections.emptyList(),
                        CredentialsMatchers.always())
                .includeCurrentValue(credentialsId);
    }
}
