package kfp.server.convert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import kfp.server.errors.ApiErrors;

/**
 * The pipeline file a caller uploads or names by URL, as KFP accepts it: a name ending
 * {@code .yaml}, {@code .yml} or {@code .json} is the spec itself; otherwise a zip or a gzip'd tar
 * (recognised by their first bytes) holding {@code pipeline.yaml}, or else a YAML file as first
 * entry. At most 32 MiB, also once decompressed. The text is checked by {@link PipelineSpecs#inspect}.
 */
public final class PipelineFiles {

    /** KFP's {@code MaxFileLength}: 32 MiB. */
    public static final int MAX_BYTES = 32 << 20;

    private static final String ARCHIVED_SPEC = "pipeline.yaml";

    private PipelineFiles() {
    }

    /**
     * The spec text of a file.
     *
     * @throws io.grpc.StatusRuntimeException InvalidArgument for an unknown format, a broken archive or text
     *     that is not UTF-8; ResourceExhausted ({@link ApiErrors#tooLarge}) over 32 MiB
     */
    public static String read(String fileName, byte[] content) {
        if (content.length > MAX_BYTES) {
            throw ApiErrors.tooLarge("the pipeline file is larger than 32 MiB");
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
            return utf8(content);
        }
        if (content.length >= 2 && content[0] == 'P' && content[1] == 'K') {
            return utf8(fromZip(content));
        }
        if (content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
            return utf8(fromTarGz(content));
        }
        throw ApiErrors.invalidArgument("unexpected pipeline file format: expected a .yaml, .yml or .json file,"
                + " a .zip or a .tar.gz");
    }

    private static byte[] fromZip(byte[] content) {
        byte[] first = null;
        String firstName = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.isDirectory()) {
                    continue;
                }
                if (e.getName().equals(ARCHIVED_SPEC)) {
                    return readLimited(zip);
                }
                if (first == null) {
                    firstName = e.getName();
                    first = readLimited(zip);
                }
            }
        } catch (IOException e) {
            throw ApiErrors.invalidArgument("the pipeline file is not a readable zip archive: " + e.getMessage());
        }
        return firstYaml(firstName, first);
    }

    /** A tar is 512-byte headers (name at 0, octal size at 124, type at 156) each followed by its padded data. */
    private static byte[] fromTarGz(byte[] content) {
        byte[] first = null;
        String firstName = null;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String entry = cString(header, 0, 100);
                String prefix = cString(header, 345, 155); // ustar: long names are prefix/name
                if (!prefix.isEmpty()) {
                    entry = prefix + "/" + entry;
                }
                String octal = cString(header, 124, 12).trim();
                long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
                if (size > MAX_BYTES) {
                    throw ApiErrors.tooLarge("the pipeline file is larger than 32 MiB once decompressed");
                }
                byte[] data = in.readNBytes((int) size);
                if (data.length != size) {
                    throw new IOException("the archive ends inside " + entry);
                }
                in.skipNBytes((512 - size % 512) % 512);
                char type = (char) header[156];
                boolean file = type == '0' || type == 0;
                if (!file) {
                    continue;
                }
                String base = entry.startsWith("./") ? entry.substring(2) : entry;
                if (base.equals(ARCHIVED_SPEC)) {
                    return data;
                }
                if (first == null) {
                    firstName = base;
                    first = data;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw ApiErrors.invalidArgument("the pipeline file is not a readable .tar.gz archive: " + e.getMessage());
        }
        return firstYaml(firstName, first);
    }

    private static byte[] firstYaml(String name, byte[] data) {
        if (data == null) {
            throw ApiErrors.invalidArgument("the pipeline archive holds no file");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
            throw ApiErrors.invalidArgument("the pipeline archive holds no pipeline.yaml and its first file, " + name
                    + ", is not a .yaml or .yml file");
        }
        return data;
    }

    /** Decompressed entries obey the same limit as files (a small archive may inflate enormously). */
    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_BYTES + 1);
        if (data.length > MAX_BYTES) {
            throw ApiErrors.tooLarge("the pipeline file is larger than 32 MiB once decompressed");
        }
        return data;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw ApiErrors.invalidArgument("the pipeline file is not UTF-8 text");
        }
    }
}
