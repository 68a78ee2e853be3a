package dev.artifactstore.simulator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The state's changes since the state file was last written, one JSON line per committed request:
 * {@code {"sequence":N,"changes":[{"path":["resources","/subscriptions/..."],"value":{...}}]}}, a
 * null value for what was removed. A line is written to the file before the request is answered, so
 * it outlives the process (the operating system holds it, killed or not); it is not forced to the
 * disk, as nothing here simulates a machine that loses power. A last line cut short by a kill was
 * never acknowledged, and is ignored.
 */
final class WriteAheadLog implements AutoCloseable {
  record Change(List<String> path, JsonNode value) {}

  record Entry(long sequence, List<Change> changes) {}

  private static final TypeReference<List<String>> PATH = new TypeReference<>() {};

  private final FileChannel channel;

  private WriteAheadLog(FileChannel channel) {
    this.channel = channel;
  }

  static WriteAheadLog open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    return new WriteAheadLog(
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  /** The entries of the log, in order, up to the first that was not written whole. */
  static List<Entry> read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return entries;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        break;
      }
      if (node == null || !node.has("sequence")) {
        break;
      }
      List<Change> changes = new ArrayList<>();
      for (JsonNode change : node.path("changes")) {
        changes.add(
            new Change(
                Json.MAPPER.convertValue(change.get("path"), PATH),
                change.get("value").isNull() ? null : change.get("value")));
      }
      entries.add(new Entry(node.get("sequence").asLong(), changes));
    }
    return entries;
  }

  void append(Entry entry) {
    ObjectNode line = Json.object();
    line.put("sequence", entry.sequence());
    ArrayNode changes = line.putArray("changes");
    for (Change change : entry.changes()) {
      ObjectNode c = changes.addObject();
      change.path().forEach(c.putArray("path")::add);
      c.set("value", change.value());
    }
    try {
      ByteBuffer bytes =
          ByteBuffer.wrap(
              (Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the state's write-ahead log", e);
    }
  }

  /** Empties the log, once the state file holds all it held. */
  void truncate() throws IOException {
    channel.truncate(0);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
