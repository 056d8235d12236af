package io.infrasteps.engine.site;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.RuntimeApiAddress;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads site YAML strictly; every error names the path of the offending value. */
final class SiteParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final int MAX_YAML_CHARS = 1_000_000;

    private SiteParser() {
    }

    static Site parse(String yamlText, String source) {
        if (yamlText == null || yamlText.isBlank()) {
            throw new InvalidInputException(source, "is empty", "site YAML, see docs/site-config.md");
        }
        if (yamlText.length() > MAX_YAML_CHARS) {
            throw new InvalidInputException(source, "is larger than " + MAX_YAML_CHARS + " characters", "site YAML");
        }
        JsonNode root;
        try {
            root = YAML.readTree(yamlText);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new InvalidInputException(source, "is not valid YAML" + where, "site YAML, see docs/site-config.md");
        }
        try {
            return site(new YamlNode(root, ""));
        } catch (InvalidInputException e) {
            // Prefix the source so "regions[0].name" becomes "sites/prod.yaml: regions[0].name".
            throw new InvalidInputException(source + ": " + e.field(), e.getMessage().substring(e.field().length() + 2), null);
        }
    }

    private static Site site(YamlNode root) {
        String name = Inputs.require("name", root.string("name", true), Inputs.DNS_LABEL);
        String domain = Inputs.require("domain", root.string("domain", true), Inputs.DOMAIN);
        String shardBase = root.string("shardBase", false);
        shardBase = shardBase == null ? name : Inputs.require("shardBase", shardBase, Inputs.DNS_LABEL);
        String localRegion = root.string("localRegion", false);
        boolean protectedEnvironment = root.bool("protected", false);

        SiteCredentials credentials = new SiteCredentials(null, null, null, null, null);
        YamlNode creds = root.mapping("credentials");
        if (creds != null) {
            credentials = new SiteCredentials(
                    credentialId(creds, "ssh"), credentialId(creds, "consulToken"), credentialId(creds, "nomadToken"),
                    credentialId(creds, "oci"), credentialId(creds, "terraformState"));
            creds.rejectUnknownKeys("ssh, consulToken, nomadToken, oci, terraformState");
        }
        OciSettings oci = oci(root.mapping("oci"));
        TerraformSettings terraform = terraform(root.mapping("terraform"), name);
        List<NomadService> services = services(root.list("services", false));

        String liveMap = null;
        String upMap = null;
        String knownHosts = null;
        YamlNode haproxy = root.mapping("haproxy");
        if (haproxy != null) {
            liveMap = optionalPath(haproxy, "liveMap");
            upMap = optionalPath(haproxy, "upMap");
            knownHosts = haproxy.string("knownHosts", false);
            if (knownHosts != null) {
                validateKnownHosts(haproxy.path("knownHosts"), knownHosts);
            }
            haproxy.rejectUnknownKeys("liveMap, upMap, knownHosts");
        }

        int parallelism = 8;
        Duration timeout = Duration.ofSeconds(10);
        YamlNode defaults = root.mapping("defaults");
        if (defaults != null) {
            Integer p = defaults.integer("parallelism");
            if (p != null) {
                parallelism = Inputs.range(defaults.path("parallelism"), p, 1, 64);
            }
            Integer t = defaults.integer("timeoutSeconds");
            if (t != null) {
                timeout = Duration.ofSeconds(Inputs.range(defaults.path("timeoutSeconds"), t, 1, 600));
            }
            defaults.rejectUnknownKeys("parallelism, timeoutSeconds");
        }

        List<YamlNode> regionNodes = root.list("regions", true);
        if (regionNodes.isEmpty()) {
            throw new InvalidInputException("regions", "is empty", "at least one region");
        }
        List<Region> regions = new ArrayList<>();
        Set<String> regionNames = new HashSet<>();
        Set<String> proxyNames = new HashSet<>();
        for (YamlNode r : regionNodes) {
            regions.add(region(r, name, liveMap, upMap, regionNames, proxyNames));
        }
        if (localRegion != null) {
            Inputs.require("localRegion", localRegion, Inputs.DNS_LABEL);
            if (!regionNames.contains(localRegion)) {
                throw new InvalidInputException("localRegion", "is not one of the regions", "one of " + regionNames);
            }
        } else {
            localRegion = regions.get(0).name();
        }
        root.rejectUnknownKeys("name, domain, shardBase, localRegion, protected, credentials, haproxy, defaults, regions, "
                + "services, oci, terraform");
        return new Site(name, domain, shardBase, localRegion, protectedEnvironment, regions, credentials,
                knownHosts, parallelism, timeout, services, oci, terraform);
    }

    private static Region region(YamlNode r, String environment, String liveMap, String upMap,
                                 Set<String> regionNames, Set<String> proxyNames) {
        String name = Inputs.require(r.path("name"), r.string("name", true), Inputs.DNS_LABEL);
        if (!regionNames.add(name)) {
            throw new InvalidInputException(r.path("name"), "repeats region '" + name + "'", "unique region names");
        }
        String datacenter = r.string("datacenter", false);
        datacenter = datacenter == null ? environment + "-" + name : Inputs.require(r.path("datacenter"), datacenter, Inputs.HAPROXY_NAME);
        URI consul = httpUri(r, "consul");
        URI nomad = httpUri(r, "nomad");
        List<ProxyEndpoint> proxies = new ArrayList<>();
        for (YamlNode p : r.list("haproxy", false)) {
            String proxyName = Inputs.require(p.path("name"), p.string("name", true), Inputs.HAPROXY_NAME);
            RuntimeApiAddress address = RuntimeApiAddress.parse(p.path("address"), p.string("address", true));
            String proxyLive = optionalPath(p, "liveMap");
            String proxyUp = optionalPath(p, "upMap");
            p.rejectUnknownKeys("name, address, liveMap, upMap");
            if (!proxyNames.add(name + "/" + proxyName)) {
                throw new InvalidInputException(p.path("name"), "repeats proxy '" + proxyName + "' in region " + name, "unique names per region");
            }
            proxies.add(new ProxyEndpoint(proxyName, name, address,
                    proxyLive == null ? liveMap : proxyLive, proxyUp == null ? upMap : proxyUp));
        }
        r.rejectUnknownKeys("name, datacenter, consul, nomad, haproxy");
        return new Region(name, datacenter, consul, nomad, proxies);
    }

    private static OciSettings oci(YamlNode node) {
        if (node == null) {
            return null;
        }
        String tenancy = Inputs.require(node.path("tenancy"), node.string("tenancy", true), Inputs.OCID);
        String compartment = Inputs.require(node.path("compartment"), node.string("compartment", true), Inputs.OCID);
        URI endpoint = httpUri(node, "endpoint");
        node.rejectUnknownKeys("tenancy, compartment, endpoint");
        return new OciSettings(tenancy, compartment, endpoint);
    }

    private static TerraformSettings terraform(YamlNode node, String environment) {
        String binary = "terraform";
        String bucket = "tf-state-" + environment;
        URI endpoint = null;
        String region = "us-east-1";
        if (node != null) {
            String b = node.string("binary", false);
            if (b != null) {
                if (b.startsWith("/")) {
                    binary = Inputs.absolutePath(node.path("binary"), b);
                } else if (b.equals("terraform") || b.equals("tofu")) {
                    binary = b;
                } else {
                    throw new InvalidInputException(node.path("binary"), "is not a Terraform executable",
                            "terraform, tofu, or an absolute path");
                }
            }
            String configuredBucket = node.string("stateBucket", false);
            bucket = configuredBucket == null ? bucket : Inputs.require(node.path("stateBucket"), configuredBucket, Inputs.BUCKET);
            endpoint = httpUri(node, "stateEndpoint");
            String configuredRegion = node.string("stateRegion", false);
            region = configuredRegion == null ? region : Inputs.require(node.path("stateRegion"), configuredRegion, Inputs.DNS_LABEL);
            node.rejectUnknownKeys("binary, stateBucket, stateEndpoint, stateRegion");
        }
        return new TerraformSettings(binary, bucket, endpoint, region);
    }

    private static List<NomadService> services(List<YamlNode> nodes) {
        List<NomadService> services = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode s : nodes) {
            String serviceName = Inputs.require(s.path("name"), s.string("name", true), Inputs.DNS_LABEL);
            if (!names.add(serviceName)) {
                throw new InvalidInputException(s.path("name"), "repeats service '" + serviceName + "'", "unique service names");
            }
            String job = s.string("job", false);
            String pack = s.string("pack", false);
            if ((job == null) == (pack == null)) {
                throw new InvalidInputException(s.path("job"), "must be given, or pack, but not both",
                        "job: a library resource path like nomad/web.hcl, or pack: a nomad-pack name");
            }
            if (job != null) {
                Inputs.require(s.path("job"), job, Inputs.RESOURCE_PATH);
            } else {
                Inputs.require(s.path("pack"), pack, Inputs.PACK_NAME);
            }
            s.rejectUnknownKeys("name, job, pack");
            services.add(new NomadService(serviceName, job, pack));
        }
        return services;
    }

    private static String credentialId(YamlNode node, String key) {
        String id = node.string(key, false);
        return id == null ? null : Inputs.require(node.path(key), id, Inputs.CREDENTIALS_ID);
    }

    private static String optionalPath(YamlNode node, String key) {
        String path = node.string(key, false);
        return path == null ? null : Inputs.absolutePath(node.path(key), path);
    }

    private static URI httpUri(YamlNode node, String key) {
        String text = node.string(key, false);
        if (text == null) {
            return null;
        }
        String allowed = "an http:// or https:// URL without user info, query or fragment";
        try {
            URI uri = new URI(text);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new InvalidInputException(node.path(key), "is not a plain http(s) URL", allowed);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException(node.path(key), "is not a URL", allowed);
        }
    }

    /** known_hosts text: each non-comment line is "hosts keytype base64key"; no control characters. */
    private static void validateKnownHosts(String field, String text) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.matches("(@[a-z-]+ )?[^\\s]+ (ssh-|ecdsa-|sk-)[a-z0-9@.-]+ [A-Za-z0-9+/]{16,}={0,2}( .*)?") || !line.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new InvalidInputException(field + " line " + (i + 1), "is not a known_hosts entry",
                        "'[host]:port keytype base64-key' lines, as ssh-keyscan prints them");
            }
        }
    }
}
