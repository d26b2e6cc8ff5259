package io.github.hpcorchestrator.exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=index,uuid,name,utilization.gpu,memory.used,
 * memory.total,power.draw,temperature.gpu --format=csv,noheader,nounits}: one line per GPU, fields
 * separated by {@code ", "}. A line without eight fields, an integer index and a UUID is reported
 * as malformed and skipped; a value that is not a number ({@code [N/A]}, {@code [Not Supported]})
 * is empty. Stateless.
 */
public final class NvidiaSmiCsvParser {

  /** The fields asked for, in order; the value of {@code --query-gpu}. */
  public static final String QUERY = "index,uuid,name,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu";

  private static final int FIELDS = 8;

  /** The GPUs read, and the lines that could not be read (trimmed), both in output order. */
  public record Result(List<GpuReading> gpus, List<String> malformedLines) {
    public Result {
      gpus = List.copyOf(gpus);
      malformedLines = List.copyOf(malformedLines);
    }
  }

  /** Parses the whole output; blank lines are ignored. */
  public Result parse(String output) {
    List<GpuReading> gpus = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (String rawLine : output.split("\\R")) {
      String line = rawLine.strip();
      if (line.isEmpty()) {
        continue;
      }
      GpuReading gpu = line(line);
      if (gpu == null) {
        malformed.add(line);
      } else {
        gpus.add(gpu);
      }
    }
    return new Result(gpus, malformed);
  }

  private static GpuReading line(String line) {
    String[] fields = line.split(",", -1);
    if (fields.length != FIELDS) {
      return null;
    }
    for (int i = 0; i < fields.length; i++) {
      fields[i] = fields[i].strip();
    }
    int index;
    try {
      index = Integer.parseInt(fields[0]);
    } catch (NumberFormatException e) {
      return null;
    }
    if (index < 0 || fields[1].isEmpty() || fields[1].startsWith("[")) {
      return null;
    }
    return new GpuReading(index, fields[1], fields[2], number(fields[3]), number(fields[4]),
        number(fields[5]), number(fields[6]), number(fields[7]));
  }

  private static OptionalDouble number(String text) {
    try {
      double value = Double.parseDouble(text);
      return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
