package io.infrasteps.plugin.common;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import jenkins.MasterToSlaveFileCallable;

/**
 * Reads a site YAML file from the workspace, where the workspace lives (on the agent). The path was validated as
 * workspace-relative text; here the real path (after symlinks) must still lie inside the workspace, the file must
 * be a regular file of at most {@link #MAX_BYTES} bytes, and valid UTF-8. Errors name the {@code siteFile}
 * argument and its (validated) relative path, never the agent's absolute paths or file content.
 */
public final class WorkspaceSiteFile extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;

    public static final int MAX_BYTES = 1_000_000;

    private final String field;
    private final String relativePath;

    public WorkspaceSiteFile(String field, String relativePath) {
        this.field = field;
        this.relativePath = StepArguments.relativePath(field, relativePath);
    }

    @Override
    public String invoke(File workspace, VirtualChannel channel) throws IOException {
        String name = field + " '" + relativePath + "'";
        Path root;
        try {
            root = workspace.toPath().toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException(name + ": the workspace does not exist yet (check out or write the file first)");
        }
        Path target = root.resolve(relativePath).normalize();
        if (!target.startsWith(root)) {
            throw new IOException(name + ": is outside the workspace");
        }
        Path real;
        try {
            real = target.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException(name + ": no such file in the workspace");
        }
        if (!real.startsWith(root)) {
            throw new IOException(name + ": resolves (through a symbolic link) outside the workspace");
        }
        if (!Files.isRegularFile(real)) {
            throw new IOException(name + ": is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException(name + ": is larger than " + MAX_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + ": is not UTF-8 text");
        }
    }
}
