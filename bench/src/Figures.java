import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** How the bench computes and prints its figures: medians, durations in ms, ratios. */
final class Figures {
  private Figures() {}

  /** The median of {@code xs}; NaN for none. */
  static double median(List<Double> xs) {
    List<Double> c = new ArrayList<>(xs);
    Collections.sort(c);
    int n = c.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? c.get(n / 2) : (c.get(n / 2 - 1) + c.get(n / 2)) / 2;
  }

  /** {@code v} milliseconds as a table shows them: seconds from 10 s, whole ms from 100 ms. */
  static String ms(double v) {
    return Double.isNaN(v) ? "n/a" : v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000)
        : v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.2f ms", v);
  }

  /** A ratio, as {@code 2.50x} (whole from 10x). */
  static String x(double v) {
    return String.format(Locale.ROOT, v >= 10 ? "%.0fx" : "%.2fx", v);
  }

  /** Milliseconds since the {@link System#nanoTime} {@code t0}. */
  static double since(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }
}
