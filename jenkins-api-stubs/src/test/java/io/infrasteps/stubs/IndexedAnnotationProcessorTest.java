package io.infrasteps.stubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor writes annotation-indexer's Symbol index from real javac runs, without claiming annotations. */
class IndexedAnnotationProcessorTest {

    static final String INDEX = "META-INF/services/annotations/org.jenkinsci.Symbol";

    static String stubClasspath() throws Exception {
        return Paths.get(hudson.Extension.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Paths.get(net.java.sezpoz.Indexable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static void compile(Path out, Path... sources) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-classpath", stubClasspath() + File.pathSeparator + out,
                "-processor", IndexedAnnotationProcessor.class.getName() + ",net.java.sezpoz.impl.Indexer",
                "-processorpath", stubClasspath() + File.pathSeparator
                        + Paths.get(IndexedAnnotationProcessor.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
        for (Path s : sources) {
            args.add(s.toString());
        }
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "javac failed");
    }

    static Path source(Path dir, String pkgPath, String name, String text) throws Exception {
        Path file = dir.resolve(pkgPath).resolve(name + ".java");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void indexesNestedAndTopLevelClassesByBinaryNameAlongsideSezpoz(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path out = Files.createDirectories(dir.resolve("out"));
        Path step = source(src, "a/b", "FooStep", """
                package a.b;
                public class FooStep {
                    @hudson.Extension @org.jenkinsci.Symbol("foo")
                    public static class DescriptorImpl { }
                }
                """);
        Path config = source(src, "a/b", "Config", """
                package a.b;
                @hudson.Extension @org.jenkinsci.Symbol({"config", "cfg"})
                public class Config { }
                """);
        Path plain = source(src, "a/b", "Plain", "package a.b;\n@hudson.Extension public class Plain { }\n");
        compile(out, step, config, plain);

        assertEquals(List.of("a.b.Config", "a.b.FooStep$DescriptorImpl"),
                Files.readAllLines(out.resolve(INDEX), StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(out.resolve("META-INF/annotations/hudson.Extension")),
                "sezpoz still indexes @Extension: the processor must not claim annotations");
        String sezpozText = Files.readString(out.resolve("META-INF/annotations/hudson.Extension.txt"));
        assertTrue(sezpozText.contains("a.b.Plain") && sezpozText.contains("a.b.FooStep$DescriptorImpl"), sezpozText);
    }

    @Test
    void anIncrementalCompilationKeepsEntriesThatStillCarryTheAnnotation(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Path out = Files.createDirectories(dir.resolve("out"));
        Path one = source(src, "p", "One", "package p;\n@org.jenkinsci.Symbol(\"one\") public class One { }\n");
        Path two = source(src, "p", "Two", "package p;\n@org.jenkinsci.Symbol(\"two\") public class Two { }\n");
        compile(out, one, two);
        assertEquals(List.of("p.One", "p.Two"), Files.readAllLines(out.resolve(INDEX)));

        // Two loses its symbol and is recompiled alone with a new annotated class; One is only on the classpath.
        two = source(src, "p", "Two", "package p;\npublic class Two { }\n");
        Path three = source(src, "p", "Three", "package p;\n@org.jenkinsci.Symbol(\"three\") public class Three { }\n");
        compile(out, two, three);
        List<String> lines = Files.readAllLines(out.resolve(INDEX));
        assertEquals(List.of("p.One", "p.Three"), lines);
        assertFalse(lines.contains("p.Two"));
    }
}
