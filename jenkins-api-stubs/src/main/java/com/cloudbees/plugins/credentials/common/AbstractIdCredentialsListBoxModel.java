package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.util.ListBoxModel;
import java.util.List;
import org.springframework.security.core.Authentication;

/** Stand-in for credentials' {@code AbstractIdCredentialsListBoxModel}: a credential drop-down. */
public abstract class AbstractIdCredentialsListBoxModel<T extends AbstractIdCredentialsListBoxModel<T, C>,
        C extends IdCredentials> extends ListBoxModel {
    public AbstractIdCredentialsListBoxModel() {
    }

    public T includeEmptyValue() {
        throw new UnsupportedOperationException("stub");
    }

    public T includeCurrentValue(String value) {
        throw new UnsupportedOperationException("stub");
    }

    public T includeMatchingAs(Authentication authentication, Item context, Class<? extends C> type,
            List<?> domainRequirements, CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("stub");
    }

    public T includeMatchingAs(Authentication authentication, ItemGroup context, Class<? extends C> type,
            List<?> domainRequirements, CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("stub");
    }
}
