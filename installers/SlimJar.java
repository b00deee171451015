import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Drops the native libraries of other platforms from a jar that carries one per OS and CPU (sqlite-jdbc holds twenty,
 * about 12 MB): java installers/SlimJar.java JAR PREFIX KEEP, e.g. org/sqlite/native/ Linux/x86_64/. Entries under
 * PREFIX that do not start with PREFIX+KEEP go; everything else is copied as it is. The jar is replaced in place.
 */
public class SlimJar {
    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        String prefix = args[1];
        String keep = prefix + args[2];
        Path slim = jar.resolveSibling(jar.getFileName() + ".slim");
        int dropped = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(slim))) {
            for (ZipEntry entry : in.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith(prefix) && !name.startsWith(keep) && !entry.isDirectory()) {
                    dropped++;
                    continue;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(slim, jar, StandardCopyOption.REPLACE_EXISTING);
        System.err.println("package: " + jar.getFileName() + ": kept " + keep + ", dropped " + dropped + " entries");
    }
}
