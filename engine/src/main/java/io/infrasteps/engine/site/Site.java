package io.infrasteps.engine.site;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.ProxyEndpoint;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One environment of the fleet as configured by its site YAML (see docs/site-config.md):
 * regions, their control-plane endpoints and proxies, the credential ids it needs, defaults.
 * Immutable and validated on load; holds credential ids, never secrets.
 */
public final class Site implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String domain;
    private final String shardBase;
    private final String localRegion;
    private final boolean protectedEnvironment;
    private final List<Region> regions;
    private final SiteCredentials credentials;
    private final String knownHosts;
    private final int parallelism;
    private final Duration commandTimeout;
    private final List<NomadService> services;
    private final OciSettings oci;
    private final TerraformSettings terraform;

    Site(String name, String domain, String shardBase, String localRegion, boolean protectedEnvironment,
         List<Region> regions, SiteCredentials credentials, String knownHosts, int parallelism, Duration commandTimeout,
         List<NomadService> services, OciSettings oci, TerraformSettings terraform) {
        this.name = name;
        this.domain = domain;
        this.shardBase = shardBase;
        this.localRegion = localRegion;
        this.protectedEnvironment = protectedEnvironment;
        this.regions = List.copyOf(regions);
        this.credentials = credentials;
        this.knownHosts = knownHosts;
        this.parallelism = parallelism;
        this.commandTimeout = commandTimeout;
        this.services = List.copyOf(services);
        this.oci = oci;
        this.terraform = terraform;
    }

    /** Parses and validates site YAML; {@code source} names it in errors (a file or configured site name). */
    public static Site parse(String yamlText, String source) {
        return SiteParser.parse(yamlText, source);
    }

    public String name() {
        return name;
    }

    public String domain() {
        return domain;
    }

    public String shardBase() {
        return shardBase;
    }

    public String localRegion() {
        return localRegion;
    }

    /** Protected environments ask a person before release actions. */
    public boolean isProtected() {
        return protectedEnvironment;
    }

    public List<Region> regions() {
        return regions;
    }

    public Optional<Region> findRegion(String regionName) {
        return regions.stream().filter(r -> r.name().equals(regionName)).findFirst();
    }

    public SiteCredentials credentials() {
        return credentials;
    }

    /** known_hosts lines for ssh:// runtime API addresses, or null. */
    public String knownHosts() {
        return knownHosts;
    }

    /** How many proxies are changed at once. */
    public int parallelism() {
        return parallelism;
    }

    /** Timeout of one runtime API command. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * The proxies of the chosen regions, or of every region when {@code regionNames} is empty.
     * An unknown region is an error naming the {@code regions} parameter and the site's regions.
     */
    public List<ProxyEndpoint> proxies(Collection<String> regionNames) {
        Set<String> wanted = new LinkedHashSet<>(regionNames == null ? List.of() : regionNames);
        List<ProxyEndpoint> result = new ArrayList<>();
        for (String wantedRegion : wanted) {
            if (findRegion(wantedRegion).isEmpty()) {
                throw new InvalidInputException("regions", "names a region that site '" + name + "' does not have",
                        "one of " + regionNames());
            }
        }
        for (Region region : regions) {
            if (wanted.isEmpty() || wanted.contains(region.name())) {
                result.addAll(region.haproxy());
            }
        }
        return result;
    }

    /** Services the environment runs on Nomad, in site order (empty when none). */
    public List<NomadService> services() {
        return services;
    }

    public Optional<NomadService> findService(String serviceName) {
        return services.stream().filter(s -> s.name().equals(serviceName)).findFirst();
    }

    /** Oracle Cloud settings, or null when the site has no {@code oci} section. */
    public OciSettings oci() {
        return oci;
    }

    /** Terraform/OpenTofu settings (defaults when the site has no {@code terraform} section). */
    public TerraformSettings terraform() {
        return terraform;
    }

    public List<String> regionNames() {
        List<String> names = new ArrayList<>();
        regions.forEach(r -> names.add(r.name()));
        return names;
    }

    @Override
    public String toString() {
        return "Site[" + name + ", regions=" + regionNames() + "]";
    }
}
