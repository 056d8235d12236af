package org.kohsuke.stapler;

import net.sf.json.JSONObject;

/** Stand-in for {@code org.kohsuke.stapler.StaplerRequest2} (the Jakarta-servlet request of Stapler). */
public interface StaplerRequest2 {
    void bindJSON(Object bean, JSONObject src);
}
