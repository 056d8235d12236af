package io.infrasteps.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.java.sezpoz.impl.SerAnnotatedElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the assembled {@code target/infra-steps.hpi} as Jenkins will read it. Runs in the package phase after
 * the .hpi is built (surefire execution {@code hpi-check}), never in the default test run.
 */
class HpiPackagingTest {

    static final Set<String> STEP_DESCRIPTORS = Set.of(
            "io.infrasteps.plugin.haproxy.HaproxyStatusStep$DescriptorImpl",
            "io.infrasteps.plugin.haproxy.SetHaproxyStep$DescriptorImpl",
            "io.infrasteps.plugin.shard.ValidateShardStep$DescriptorImpl",
            "io.infrasteps.plugin.shard.WaitHealthyShardsStep$DescriptorImpl",
            "io.infrasteps.plugin.consul.WithEnvironmentLockStep$DescriptorImpl");
    static final Set<String> OTHER_EXTENSIONS = Set.of(
            "io.infrasteps.plugin.config.InfraStepsConfiguration",
            "io.infrasteps.plugin.config.SiteDefinition$DescriptorImpl");
    /** Plugins the code links against; each must be a Plugin-Dependency at the version Jenkins 2.516.2 ships. */
    static final List<String> REQUIRED_PLUGINS = List.of("workflow-step-api", "credentials", "ssh-credentials", "plain-credentials",
            "structs", "script-security", "jackson2-api", "mina-sshd-api-core", "mina-sshd-api-common");

    static Path hpi;
    static Manifest manifest;
    static Map<String, byte[]> pluginJar;
    static List<String> libs;

    @BeforeAll
    static void open() throws IOException {
        hpi = Paths.get(System.getProperty("hpi.file", "target/infra-steps.hpi"));
        assertTrue(Files.isRegularFile(hpi), hpi + " was not built (run mvn package)");
        libs = new ArrayList<>();
        try (ZipFile zip = new ZipFile(hpi.toFile())) {
            ZipEntry mf = zip.getEntry("META-INF/MANIFEST.MF");
            assertNotNull(mf, "no META-INF/MANIFEST.MF");
            try (InputStream in = zip.getInputStream(mf)) {
                manifest = new Manifest(in);
            }
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.length() > "WEB-INF/lib/".length())
                    .forEach(libs::add);
            ZipEntry jar = zip.getEntry("WEB-INF/lib/infra-steps.jar");
            assertNotNull(jar, "no WEB-INF/lib/infra-steps.jar; libs: " + libs);
            pluginJar = new TreeMap<>();
            try (JarInputStream in = new JarInputStream(zip.getInputStream(jar))) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    if (!e.isDirectory()) {
                        pluginJar.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
    }

    @Test
    void manifestDescribesThePlugin() {
        Attributes a = manifest.getMainAttributes();
        assertEquals("1.0", a.getValue("Manifest-Version"));
        assertEquals("infra-steps", a.getValue("Short-Name"));
        assertEquals("Infra Steps", a.getValue("Long-Name"));
        assertEquals(System.getProperty("project.version", "0.1.0-SNAPSHOT"), a.getValue("Plugin-Version"));
        assertEquals("2.516.2", a.getValue("Jenkins-Version"));
        assertEquals("io.infrasteps", a.getValue("Group-Id"));
        assertEquals("17", a.getValue("Minimum-Java-Version"));
        String url = a.getValue("Url");
        assertNotNull(url);
        assertTrue(url.matches("https://[^\\s$]+") && !url.endsWith("/infra-steps/infra-steps/infra-steps"),
                "a project URL, without Maven's inherited module suffix: " + url);
    }

    @Test
    void pluginDependenciesAreThePluginsUsedAtTheInstalledVersions() throws IOException {
        String deps = manifest.getMainAttributes().getValue("Plugin-Dependencies");
        assertNotNull(deps, "Plugin-Dependencies missing: Jenkins would show the plugin but not its steps");
        Map<String, String> declared = new LinkedHashMap<>();
        for (String entry : deps.split(",")) {
            String[] parts = entry.split(";")[0].split(":", 2);
            assertEquals(2, parts.length, "malformed entry " + entry);
            assertTrue(declared.put(parts[0], parts[1]) == null, "duplicate " + parts[0]);
        }
        Map<String, String> installed = installedVersions();
        for (String plugin : REQUIRED_PLUGINS) {
            assertTrue(declared.containsKey(plugin), "missing Plugin-Dependency " + plugin + " in " + deps);
        }
        for (Map.Entry<String, String> d : declared.entrySet()) {
            assertEquals(installed.get(d.getKey()), d.getValue(),
                    "version of " + d.getKey() + " differs from ../shared/jenkins-api/README.md");
        }
        if (System.getProperty("hpi.pluginDependencies") != null) {
            assertEquals(System.getProperty("hpi.pluginDependencies"), deps);
        }
    }

    /** Plugin versions from the tables of ../shared/jenkins-api/README.md. */
    static Map<String, String> installedVersions() throws IOException {
        Path readme = null;
        for (Path d = Paths.get("").toAbsolutePath(); d != null && readme == null; d = d.getParent()) {
            for (Path c : List.of(d.resolve("../shared/jenkins-api/README.md").normalize(), d.resolve("shared/jenkins-api/README.md"))) {
                if (Files.isRegularFile(c)) {
                    readme = c;
                    break;
                }
            }
        }
        assertNotNull(readme, "cannot find ../shared/jenkins-api/README.md");
        Map<String, String> versions = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\|\\s*([a-z0-9-]+)(?:\\s*\\([^)]*\\))?\\s*\\|\\s*([0-9][^ |]*)\\s*\\|")
                .matcher(Files.readString(readme, StandardCharsets.UTF_8));
        while (m.find()) {
            versions.put(m.group(1), m.group(2));
        }
        assertTrue(versions.containsKey("workflow-step-api") && versions.containsKey("jackson2-api"), "tables not read: " + versions);
        return versions;
    }

    @Test
    void bundlesTheEngineButNotWhatJenkinsProvides() {
        assertTrue(libs.contains("WEB-INF/lib/infra-steps.jar"), libs.toString());
        assertTrue(libs.stream().anyMatch(l -> l.matches("WEB-INF/lib/infra-steps-engine-[^/]+\\.jar")), "engine not bundled: " + libs);
        for (String lib : libs) {
            String name = lib.substring("WEB-INF/lib/".length());
            assertFalse(name.startsWith("jackson-"), "Jackson comes from jackson2-api: " + name);
            assertFalse(name.startsWith("sshd-"), "MINA SSHD comes from mina-sshd-api-*: " + name);
            assertFalse(name.startsWith("snakeyaml"), "SnakeYAML comes with jackson2-api: " + name);
            assertFalse(name.startsWith("slf4j"), "SLF4J comes with Jenkins: " + name);
            assertFalse(name.startsWith("jenkins-api-stubs"), "the stand-in API must never ship: " + name);
            assertFalse(name.startsWith("sezpoz"), "sezpoz comes with Jenkins: " + name);
            assertFalse(name.startsWith("guava") || name.startsWith("failureaccess"), "Guava comes with Jenkins core: " + name);
            assertFalse(name.startsWith("junit") || name.startsWith("infra-steps-sandbox"), "test library bundled: " + name);
        }
    }

    @Test
    void pluginJarHoldsClassesAndViewsButNoStandIns() {
        for (String expected : List.of(
                "io/infrasteps/plugin/haproxy/HaproxyStatusStep.class",
                "io/infrasteps/plugin/haproxy/SetHaproxyStep$Execution.class",
                "io/infrasteps/plugin/config/InfraStepsConfiguration.class",
                "io/infrasteps/plugin/haproxy/HaproxyStatusStep/config.jelly",
                "io/infrasteps/plugin/haproxy/HaproxyStatusStep/help.html",
                "io/infrasteps/plugin/haproxy/SetHaproxyStep/config.jelly",
                "io/infrasteps/plugin/haproxy/SetHaproxyStep/help-state.html",
                "io/infrasteps/plugin/haproxy/SetHaproxyStep/help-liveRelease.html",
                "io/infrasteps/plugin/shard/ValidateShardStep$Execution.class",
                "io/infrasteps/plugin/shard/ValidateShardStep/config.jelly",
                "io/infrasteps/plugin/shard/WaitHealthyShardsStep$Execution.class",
                "io/infrasteps/plugin/shard/WaitHealthyShardsStep/help-timeoutMinutes.html",
                "io/infrasteps/plugin/consul/WithEnvironmentLockStep$Release.class",
                "io/infrasteps/plugin/consul/WithEnvironmentLockStep/help.html",
                "io/infrasteps/plugin/config/InfraStepsConfiguration/config.jelly",
                "io/infrasteps/plugin/config/SiteDefinition/config.jelly")) {
            assertTrue(pluginJar.containsKey(expected), "missing " + expected);
        }
        for (String name : pluginJar.keySet()) {
            assertFalse(name.startsWith("hudson/") || name.startsWith("jenkins/") || name.startsWith("org/")
                    || name.startsWith("com/") || name.startsWith("net/"), "stand-in or foreign class in the plugin jar: " + name);
        }
    }

    @Test
    void extensionIndexListsTheDescriptorsAndTheGlobalConfiguration() throws Exception {
        byte[] index = pluginJar.get("META-INF/annotations/hudson.Extension");
        assertNotNull(index, "no sezpoz index META-INF/annotations/hudson.Extension");
        Set<String> classes = new TreeSet<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(index))) {
            for (Object o; (o = in.readObject()) != null; ) {
                SerAnnotatedElement e = (SerAnnotatedElement) o;
                assertEquals(null, e.memberName, "extensions are classes here: " + e);
                Object ordinal = e.values.get("ordinal");
                assertTrue(ordinal == null || ordinal instanceof Double, "ordinal must be stored as a double: " + e);
                classes.add(e.className);
            }
        }
        Set<String> expected = new TreeSet<>(STEP_DESCRIPTORS);
        expected.addAll(OTHER_EXTENSIONS);
        assertEquals(expected, classes);
    }

    @Test
    void symbolIndexListsEverySymbol() {
        byte[] index = pluginJar.get("META-INF/services/annotations/org.jenkinsci.Symbol");
        assertNotNull(index, "no annotation-indexer index for org.jenkinsci.Symbol");
        Set<String> lines = new TreeSet<>(List.of(new String(index, StandardCharsets.UTF_8).split("\n")));
        Set<String> expected = new TreeSet<>(STEP_DESCRIPTORS);
        expected.addAll(OTHER_EXTENSIONS);
        assertEquals(expected, lines);
    }
}
