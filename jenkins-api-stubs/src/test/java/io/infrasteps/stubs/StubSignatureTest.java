package io.infrasteps.stubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves that every public or protected type, constructor, method, field and annotation element declared by the
 * stand-in classes exists in real Jenkins 2.516.2 (as listed in {@code ../shared/jenkins-api/api-signatures-2.516.2.txt}),
 * on the same type or one of its real supertypes, with the same kind and the modifiers that decide how javac links
 * against it (visibility, static, abstract vs default, final), and that no field carries a compile-time constant.
 */
class StubSignatureTest {

    static final String SIGNATURES = "api-signatures-2.516.2.txt";

    /**
     * Types of libraries outside the signature list that real Jenkins API signatures refer to. Each is declared as a
     * bare type (no member); the test checks that the real API really refers to it by that name.
     */
    static final Map<String, String> EXTERNAL_TYPES = Map.of(
            // Spring Security's Authentication: the type of ACL.SYSTEM2 and of includeMatchingAs(..)'s first parameter.
            "org.springframework.security.core.Authentication", "interface");

    static final String INDEXABLE = "net.java.sezpoz.Indexable";
    static final String INDEXED = "org.jvnet.hudson.annotation_indexer.Indexed";

    static Api api;
    static List<Class<?>> stubs;

    @BeforeAll
    static void load() throws Exception {
        api = Api.parse(findSignatures());
        stubs = stubClasses();
    }

    static Path findSignatures() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("../shared/jenkins-api").resolve(SIGNATURES).normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            Path sibling = d.resolve("shared/jenkins-api").resolve(SIGNATURES);
            if (Files.isRegularFile(sibling)) {
                return sibling;
            }
        }
        throw new IllegalStateException("cannot find ../shared/jenkins-api/" + SIGNATURES + " above " + dir);
    }

    /** Every class compiled into the stub jar or classes directory, except this project's own code. */
    static List<Class<?>> stubClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Paths.get(hudson.Extension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(p -> p.toString().endsWith(".class"))
                        .forEach(p -> names.add(location.relativize(p).toString().replace('\\', '/')));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(names::add);
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("io/infrasteps/") || n.endsWith("module-info.class") || n.endsWith("package-info.class")) {
                continue;
            }
            String cn = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            out.add(Class.forName(cn, false, StubSignatureTest.class.getClassLoader()));
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }

    @Test
    void findsTheStubsAndTheSignatureList() {
        assertTrue(stubs.size() > 30, "expected the stub classes, found " + stubs.size());
        assertTrue(api.types.size() > 1000, "expected the real API list, found " + api.types.size() + " types");
        assertTrue(stubs.contains(hudson.Extension.class));
        assertTrue(stubs.contains(org.jenkinsci.Symbol.class));
    }

    @Test
    void everyStubTypeIsRealWithTheSameKindModifiersAndSupertypes() {
        List<String> problems = new ArrayList<>();
        for (Class<?> c : stubs) {
            if (!isVisible(c.getModifiers()) && !c.isMemberClass()) {
                problems.add(c.getName() + ": stand-in types must be public");
                continue;
            }
            if (!isVisible(c.getModifiers())) {
                continue; // private nested helper, never linked against
            }
            if (EXTERNAL_TYPES.containsKey(c.getName())) {
                checkExternal(c, problems);
                continue;
            }
            Api.Type real = api.types.get(c.getName());
            if (real == null) {
                problems.add(c.getName() + ": no such type in Jenkins 2.516.2");
                continue;
            }
            if (!real.kind.equals(kind(c))) {
                problems.add(c.getName() + ": is a " + kind(c) + " here, a " + real.kind + " in Jenkins");
            }
            int m = c.getModifiers();
            if (real.mods.contains("public") != Modifier.isPublic(m) || real.mods.contains("protected") != Modifier.isProtected(m)) {
                problems.add(c.getName() + ": visibility differs from Jenkins (" + real.mods + ")");
            }
            if (c.isMemberClass() && real.mods.contains("static") != Modifier.isStatic(m)) {
                problems.add(c.getName() + ": static differs from Jenkins (" + real.mods + ")");
            }
            if (real.kind.equals("class")) {
                if (real.mods.contains("abstract") != Modifier.isAbstract(m)) {
                    problems.add(c.getName() + ": abstract differs from Jenkins (" + real.mods + ")");
                }
            }
            if (real.mods.contains("final") && !Modifier.isFinal(m)) {
                problems.add(c.getName() + ": final in Jenkins, not here");
            }
            Set<String> ancestors = api.ancestors(c.getName());
            Class<?> sup = c.getSuperclass();
            if (sup != null && sup != Object.class && sup != Enum.class && !ancestors.contains(sup.getName())) {
                problems.add(c.getName() + ": extends " + sup.getName() + ", which is not a supertype in Jenkins");
            }
            for (Class<?> i : c.getInterfaces()) {
                if (i == Annotation.class) {
                    continue;
                }
                if (!ancestors.contains(i.getName())) {
                    problems.add(c.getName() + ": implements " + i.getName() + ", which is not a supertype in Jenkins");
                }
            }
            checkTypeAnnotations(c, problems);
        }
        assertEquals(List.of(), problems);
    }

    private static void checkExternal(Class<?> c, List<String> problems) {
        if (api.types.containsKey(c.getName())) {
            problems.add(c.getName() + ": listed in the real API, check it like the others");
        }
        if (!api.raw.contains(c.getName())) {
            problems.add(c.getName() + ": the real Jenkins API never refers to this external type");
        }
        if (!EXTERNAL_TYPES.get(c.getName()).equals(kind(c))) {
            problems.add(c.getName() + ": expected a " + EXTERNAL_TYPES.get(c.getName()));
        }
        if (Stream.of(c.getDeclaredMethods(), c.getDeclaredFields(), c.getDeclaredConstructors())
                .flatMap(Arrays::stream).map(x -> (Member) x).anyMatch(x -> isVisible(x.getModifiers()))) {
            problems.add(c.getName() + ": an external type is declared without members");
        }
    }

    private static void checkTypeAnnotations(Class<?> c, List<String> problems) {
        Set<String> here = annotationTokens(c);
        Set<String> real = api.typeAnnotations.getOrDefault(c.getName(), Set.of());
        if (!real.containsAll(here)) {
            problems.add(c.getName() + ": annotations " + here + " not all on the real type " + real);
        }
        if (c.isAnnotation()) {
            // Retention, targets and the indexers' meta-annotations decide how javac and the annotation processors
            // treat a use of the annotation, so they must be exactly the real ones. Other meta-annotations
            // (Stapler's InjectedParameter, InterceptorAnnotation) only matter to the real class at run time.
            for (String token : real) {
                boolean decisive = token.startsWith("@Retention(") || token.startsWith("@Target(")
                        || token.equals("@" + INDEXABLE) || token.equals("@" + INDEXED);
                if (decisive && !here.contains(token)) {
                    problems.add(c.getName() + ": lacks " + token + " (Jenkins has " + real + ")");
                }
            }
        }
    }

    static Set<String> annotationTokens(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Annotation a : c.getDeclaredAnnotations()) {
            if (a instanceof Retention r) {
                out.add("@Retention(" + r.value() + ")");
            } else if (a instanceof Target t) {
                out.add("@Target(" + Arrays.stream(t.value()).map(ElementType::name).sorted()
                        .collect(Collectors.joining(",")) + ")");
            } else {
                out.add("@" + a.annotationType().getName());
            }
        }
        return out;
    }

    @Test
    void everyStubMemberIsRealOnTheTypeOrARealSupertype() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Class<?> c : stubs) {
            if (!isVisible(c.getModifiers()) || EXTERNAL_TYPES.containsKey(c.getName()) || !api.types.containsKey(c.getName())) {
                continue; // reported by the type test
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (!isVisible(k.getModifiers()) || k.isSynthetic()) {
                    continue;
                }
                checked++;
                String key = "(" + params(k) + ")";
                Api.MemberLine real = api.find(c.getName(), "ctor", key, false);
                if (real == null) {
                    problems.add("ctor " + c.getName() + key + ": not in Jenkins");
                } else {
                    compareVisibility("ctor " + c.getName() + key, k.getModifiers(), real, problems);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (!isVisible(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                checked++;
                if (c.isAnnotation()) {
                    String key = m.getName() + "()" + m.getReturnType().getTypeName();
                    if (api.find(c.getName(), "annotation-element", key, false) == null) {
                        problems.add("annotation-element " + c.getName() + "#" + key + ": not in Jenkins");
                    }
                    continue;
                }
                String key = m.getName() + "(" + params(m) + ")" + m.getReturnType().getTypeName();
                String what = "method " + c.getName() + "#" + key;
                Api.MemberLine real = api.find(c.getName(), "method", key, true);
                if (real == null) {
                    if (!existsInJdkAncestor(c.getName(), m)) {
                        problems.add(what + ": not in Jenkins (on the type or a real supertype)");
                    }
                    continue;
                }
                int mod = m.getModifiers();
                compareVisibility(what, mod, real, problems);
                if (real.mods.contains("static") != Modifier.isStatic(mod)) {
                    problems.add(what + ": static differs from Jenkins " + real.mods);
                }
                if (real.mods.contains("abstract") != Modifier.isAbstract(mod)) {
                    problems.add(what + ": abstract differs from Jenkins " + real.mods);
                }
                if (real.mods.contains("default") != m.isDefault()) {
                    problems.add(what + ": default differs from Jenkins " + real.mods);
                }
                if (real.mods.contains("final") && !Modifier.isFinal(mod)) {
                    problems.add(what + ": final in Jenkins, not here");
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (!isVisible(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                if (c.isEnum() && f.isEnumConstant()) {
                    checked++;
                }
                checked++;
                String key = f.getName() + ":" + f.getType().getTypeName();
                String what = "field " + c.getName() + "#" + key;
                Api.MemberLine real = api.find(c.getName(), "field", key, true);
                if (real == null) {
                    problems.add(what + ": not in Jenkins");
                    continue;
                }
                compareVisibility(what, f.getModifiers(), real, problems);
                if (real.mods.contains("static") != Modifier.isStatic(f.getModifiers())) {
                    problems.add(what + ": static differs from Jenkins " + real.mods);
                }
                if (real.mods.contains("final") != Modifier.isFinal(f.getModifiers())) {
                    problems.add(what + ": final differs from Jenkins " + real.mods);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked > 40, "checked only " + checked + " members");
    }

    @Test
    void noStubFieldCarriesACompileTimeConstant() throws IOException {
        // javac copies a ConstantValue into every class that reads the field; real Jenkins' value would never be used.
        List<String> problems = new ArrayList<>();
        for (Class<?> c : stubs) {
            String resource = c.getName().replace('.', '/') + ".class";
            try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
                for (String field : ClassFileFields.withConstantValue(in)) {
                    Field f = Arrays.stream(c.getDeclaredFields()).filter(x -> x.getName().equals(field)).findFirst().orElse(null);
                    if (f != null && isVisible(f.getModifiers())) {
                        problems.add(c.getName() + "#" + field);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void extensionAndSymbolAreDeclaredAsTheIndexersNeed() throws NoSuchMethodException {
        assertEquals(double.class, hudson.Extension.class.getMethod("ordinal").getReturnType());
        assertEquals(0.0, hudson.Extension.class.getMethod("ordinal").getDefaultValue());
        assertEquals(false, hudson.Extension.class.getMethod("optional").getDefaultValue());
        assertEquals(jenkins.YesNoMaybe.MAYBE, hudson.Extension.class.getMethod("dynamicLoadable").getDefaultValue());
        assertTrue(hudson.Extension.class.isAnnotationPresent(net.java.sezpoz.Indexable.class));
        assertTrue(org.jenkinsci.Symbol.class.isAnnotationPresent(org.jvnet.hudson.annotation_indexer.Indexed.class));
        assertFalse(org.jenkinsci.Symbol.class.isAnnotationPresent(net.java.sezpoz.Indexable.class));
        assertEquals(String[].class, org.jenkinsci.Symbol.class.getMethod("value").getReturnType());
        assertEquals(null, org.jenkinsci.Symbol.class.getMethod("value").getDefaultValue());
        // used bare (@Whitelisted, @QueryParameter) as in real plugins, so these elements need their real defaults
        assertEquals(false, org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted.class
                .getMethod("restricted").getDefaultValue());
        assertEquals("", org.kohsuke.stapler.QueryParameter.class.getMethod("value").getDefaultValue());
    }

    private static void compareVisibility(String what, int mod, Api.MemberLine real, List<String> problems) {
        if (real.mods.contains("public") != Modifier.isPublic(mod) || real.mods.contains("protected") != Modifier.isProtected(mod)) {
            problems.add(what + ": visibility differs from Jenkins " + real.mods);
        }
    }

    /** A method inherited from a JDK supertype of the real type (e.g. {@code Object#toString}). */
    private static boolean existsInJdkAncestor(String type, Method m) {
        for (String a : api.ancestors(type)) {
            if (!a.startsWith("java.")) {
                continue;
            }
            try {
                Method jdk = Class.forName(a).getDeclaredMethod(m.getName(), m.getParameterTypes());
                if (jdk.getReturnType() == m.getReturnType() && isVisible(jdk.getModifiers())) {
                    return true;
                }
            } catch (ReflectiveOperationException e) {
                // not there
            }
        }
        return false;
    }

    static boolean isVisible(int mod) {
        return Modifier.isPublic(mod) || Modifier.isProtected(mod);
    }

    static String kind(Class<?> c) {
        if (c.isAnnotation()) {
            return "annotation";
        }
        if (c.isEnum()) {
            return "enum";
        }
        if (c.isInterface()) {
            return "interface";
        }
        if (c.isRecord()) {
            return "record";
        }
        return "class";
    }

    static String params(Executable e) {
        return Arrays.stream(e.getParameterTypes()).map(Class::getTypeName).collect(Collectors.joining(","));
    }

    /** The real API, read from the signature list. */
    static final class Api {
        record Type(String name, String kind, Set<String> mods, String superclass, List<String> interfaces) {
        }

        record MemberLine(String owner, String kind, String key, Set<String> mods) {
        }

        final Map<String, Type> types = new HashMap<>();
        final Map<String, Set<String>> typeAnnotations = new HashMap<>();
        /** owner -> kind + " " + key -> line. */
        final Map<String, Map<String, MemberLine>> members = new HashMap<>();
        String raw;

        static Api parse(Path file) throws IOException {
            Api api = new Api();
            api.raw = Files.readString(file, StandardCharsets.UTF_8);
            for (String line : api.raw.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.trim().split(" +");
                switch (t[0]) {
                    case "type" -> {
                        Set<String> mods = new LinkedHashSet<>();
                        String sup = null;
                        List<String> ifaces = List.of();
                        for (int i = 3; i < t.length; i++) {
                            if (t[i].startsWith("super=")) {
                                sup = t[i].substring(6).equals("-") ? null : t[i].substring(6);
                            } else if (t[i].startsWith("implements=")) {
                                String v = t[i].substring(11);
                                ifaces = v.isEmpty() ? List.of() : List.of(v.split(","));
                            } else {
                                mods.add(t[i]);
                            }
                        }
                        api.types.put(t[1], new Type(t[1], t[2], mods, sup, ifaces));
                    }
                    case "type-annotations" -> api.typeAnnotations.put(t[1],
                            new TreeSet<>(Arrays.asList(t).subList(2, t.length)));
                    case "ctor", "method", "field", "annotation-element" -> {
                        String sig = t[1];
                        String owner;
                        String key;
                        if (t[0].equals("ctor")) {
                            int p = sig.indexOf('(');
                            owner = sig.substring(0, p);
                            key = sig.substring(p);
                        } else {
                            int h = sig.indexOf('#');
                            owner = sig.substring(0, h);
                            key = sig.substring(h + 1);
                        }
                        Set<String> mods = new LinkedHashSet<>(Arrays.asList(t).subList(2, t.length));
                        api.members.computeIfAbsent(owner, k -> new HashMap<>())
                                .put(t[0] + " " + key, new MemberLine(owner, t[0], key, mods));
                    }
                    default -> {
                        // type-incomplete and future line kinds carry no member
                    }
                }
            }
            return api;
        }

        /** The real supertypes of a type, transitively; JDK supertypes are completed by reflection. */
        Set<String> ancestors(String type) {
            Set<String> out = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>();
            todo.add(type);
            while (!todo.isEmpty()) {
                String cur = todo.poll();
                Type t = types.get(cur);
                List<String> next = new ArrayList<>();
                if (t != null) {
                    if (t.superclass != null) {
                        next.add(t.superclass);
                    }
                    next.addAll(t.interfaces);
                } else if (cur.startsWith("java.")) {
                    try {
                        Class<?> jdk = Class.forName(cur);
                        if (jdk.getSuperclass() != null) {
                            next.add(jdk.getSuperclass().getName());
                        }
                        Arrays.stream(jdk.getInterfaces()).map(Class::getName).forEach(next::add);
                    } catch (ClassNotFoundException e) {
                        // unknown JDK type: no further supertypes
                    }
                }
                for (String n : next) {
                    if (out.add(n)) {
                        todo.add(n);
                    }
                }
            }
            return out;
        }

        /** The member declared on the type, or (when {@code inherited}) on its nearest real supertype. */
        MemberLine find(String type, String kind, String key, boolean inherited) {
            MemberLine own = members.getOrDefault(type, Map.of()).get(kind + " " + key);
            if (own != null || !inherited) {
                return own;
            }
            for (String a : ancestors(type)) {
                MemberLine line = members.getOrDefault(a, Map.of()).get(kind + " " + key);
                if (line != null) {
                    return line;
                }
            }
            return null;
        }
    }

    /** Reads just enough of a class file to list the fields that carry a ConstantValue attribute. */
    static final class ClassFileFields {
        static List<String> withConstantValue(InputStream raw) throws IOException {
            DataInputStream in = new DataInputStream(raw);
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            in.readUnsignedShort(); // access
            in.readUnsignedShort(); // this
            in.readUnsignedShort(); // super
            int interfaces = in.readUnsignedShort();
            for (int i = 0; i < interfaces; i++) {
                in.readUnsignedShort();
            }
            List<String> out = new ArrayList<>();
            int fields = in.readUnsignedShort();
            for (int i = 0; i < fields; i++) {
                in.readUnsignedShort();
                String name = utf8[in.readUnsignedShort()];
                in.readUnsignedShort();
                int attrs = in.readUnsignedShort();
                for (int a = 0; a < attrs; a++) {
                    String attr = utf8[in.readUnsignedShort()];
                    int len = in.readInt();
                    in.skipNBytes(len);
                    if ("ConstantValue".equals(attr)) {
                        out.add(name);
                    }
                }
            }
            return out;
        }
    }
}
