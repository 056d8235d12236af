package io.infrasteps.engine.site;

import java.io.Serializable;

/**
 * A service the environment runs on Nomad (site key {@code services[]}): either a plain job
 * spec shipped with the shared library ({@code job}, a path under the library's
 * {@code resources/}, e.g. {@code nomad/web.hcl}) or a nomad-pack ({@code pack}). Release
 * managers get one {@code release-nomad-<name>} job per service.
 */
public final class NomadService implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String job;
    private final String pack;

    NomadService(String name, String job, String pack) {
        this.name = name;
        this.job = job;
        this.pack = pack;
    }

    public String name() {
        return name;
    }

    /** Library resource path of the job spec (HCL or JSON), or null for a pack. */
    public String job() {
        return job;
    }

    /** nomad-pack name, or null for a plain job. */
    public String pack() {
        return pack;
    }

    @Override
    public String toString() {
        return "NomadService[" + name + (job != null ? ", job=" + job : ", pack=" + pack) + "]";
    }
}
