package io.infrasteps.stubs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes annotation-indexer's index for every annotation meta-annotated with
 * {@code org.jvnet.hudson.annotation_indexer.Indexed} (in practice {@code org.jenkinsci.Symbol}):
 * {@code META-INF/services/annotations/<annotation binary name>}, one binary class name per line, sorted.
 * Jenkins reads symbols through that file. It replaces Central's annotation-indexer 1.4 processor, which breaks
 * javac 17. It never claims an annotation, so sezpoz's processor still sees {@code hudson.Extension}.
 */
@SupportedAnnotationTypes("*")
public class IndexedAnnotationProcessor extends AbstractProcessor {

    static final String INDEXED = "org.jvnet.hudson.annotation_indexer.Indexed";
    static final String PREFIX = "META-INF/services/annotations/";

    /** annotation binary name -> binary names of the annotated types. */
    private final Map<String, Set<String>> index = new TreeMap<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (round.processingOver()) {
            write();
            return false;
        }
        for (TypeElement annotation : annotations) {
            if (!isIndexed(annotation)) {
                continue;
            }
            Set<String> names = index.computeIfAbsent(binaryName(annotation), k -> new TreeSet<>());
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                TypeElement type = enclosingType(e);
                if (type != null) {
                    names.add(binaryName(type));
                }
            }
        }
        return false;
    }

    private static boolean isIndexed(TypeElement annotation) {
        for (AnnotationMirror m : annotation.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(INDEXED)) {
                return true;
            }
        }
        return false;
    }

    private static TypeElement enclosingType(Element e) {
        Element cur = e;
        while (cur != null && !(cur instanceof TypeElement)) {
            cur = cur.getEnclosingElement();
        }
        return (TypeElement) cur;
    }

    private String binaryName(TypeElement type) {
        return processingEnv.getElementUtils().getBinaryName(type).toString();
    }

    private void write() {
        for (Map.Entry<String, Set<String>> entry : index.entrySet()) {
            String annotation = entry.getKey();
            Set<String> names = new TreeSet<>(entry.getValue());
            names.addAll(previousEntriesStillAnnotated(annotation));
            if (names.isEmpty()) {
                continue;
            }
            try {
                FileObject out = processingEnv.getFiler()
                        .createResource(StandardLocation.CLASS_OUTPUT, "", PREFIX + annotation);
                try (Writer w = out.openWriter()) {
                    for (String name : names) {
                        w.write(name);
                        w.write('\n');
                    }
                }
            } catch (IOException e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        "cannot write " + PREFIX + annotation + ": " + e);
            }
        }
    }

    /**
     * An incremental compilation sees only the recompiled sources; keep earlier entries whose class still exists
     * and still carries the annotation.
     */
    private Set<String> previousEntriesStillAnnotated(String annotation) {
        Set<String> kept = new TreeSet<>();
        try {
            FileObject old = processingEnv.getFiler()
                    .getResource(StandardLocation.CLASS_OUTPUT, "", PREFIX + annotation);
            try (Reader r = new InputStreamReader(old.openInputStream(), StandardCharsets.UTF_8);
                    BufferedReader br = new BufferedReader(r)) {
                String line;
                while ((line = br.readLine()) != null) {
                    String name = line.trim();
                    if (name.isEmpty()) {
                        continue;
                    }
                    TypeElement type = processingEnv.getElementUtils().getTypeElement(name.replace('$', '.'));
                    if (type != null && carries(type, annotation)) {
                        kept.add(binaryName(type));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // no earlier index: a full compilation
        }
        return kept;
    }

    private boolean carries(TypeElement type, String annotation) {
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            if (binaryName((TypeElement) m.getAnnotationType().asElement()).equals(annotation)) {
                return true;
            }
        }
        return false;
    }
}
