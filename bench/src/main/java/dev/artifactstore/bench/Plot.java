package dev.artifactstore.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Two charts over the same time axis (seconds since the operator's first ARM request): the share of
 * stores Ready (the time-to-Ready CDF), and ARM requests per second against ARM's refill rates.
 */
final class Plot {
  private Plot() {}

  @SuppressWarnings("unchecked")
  static void write(Result r, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries cdf = new XYSeries("stores Ready");
    List<Long> ready = r.series().readyMs();
    cdf.add(0, 0);
    for (int i = 0; i < ready.size(); i++) {
      cdf.add(ready.get(i) / 1000.0, (i + 1) / (double) ready.size());
    }
    XYPlot readyPlot =
        new XYPlot(
            new XYSeriesCollection(cdf), null, new NumberAxis("share Ready"), new XYStepRenderer());
    readyPlot.getRenderer().setSeriesPaint(0, new Color(0x1f77b4));

    XYSeriesCollection rates = new XYSeriesCollection();
    rates.addSeries(perSecond("reads/s", r.series().readsPerSecond()));
    rates.addSeries(perSecond("writes/s", r.series().writesPerSecond()));
    rates.addSeries(perSecond("429/s", r.series().throttledPerSecond()));
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setSeriesPaint(0, new Color(0x2ca02c));
    lines.setSeriesPaint(1, new Color(0xff7f0e));
    lines.setSeriesPaint(2, new Color(0xd62728));
    NumberAxis rateAxis = new NumberAxis("ARM requests per second");
    XYPlot ratePlot = new XYPlot(rates, null, rateAxis, lines);
    double highest =
        ((List<XYSeries>) rates.getSeries())
            .stream().mapToDouble(XYSeries::getMaxY).max().orElse(0);
    rateAxis.setRange(0, Math.max(Floors.READS_PER_SECOND * 1.15, highest * 1.1));
    ratePlot.addRangeMarker(marker(Floors.READS_PER_SECOND, "read refill 25/s", 0x2ca02c));
    ratePlot.addRangeMarker(marker(Floors.WRITES_PER_SECOND, "write refill 10/s", 0xff7f0e));

    CombinedDomainXYPlot plot =
        new CombinedDomainXYPlot(new NumberAxis("seconds since the operator's first ARM request"));
    plot.add(readyPlot, 1);
    plot.add(ratePlot, 1);
    JFreeChart chart =
        new JFreeChart(
            r.setup().stores()
                + " stores ("
                + r.setup().mix()
                + "), "
                + r.setup().latencyProfile()
                + " latencies",
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 700);
  }

  private static XYSeries perSecond(String name, List<Long> values) {
    XYSeries series = new XYSeries(name);
    for (int i = 0; i < values.size(); i++) {
      series.add(i, values.get(i));
    }
    return series;
  }

  private static ValueMarker marker(double value, String label, int rgb) {
    ValueMarker marker = new ValueMarker(value);
    marker.setPaint(new Color(rgb));
    marker.setStroke(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
    marker.setLabel(label);
    marker.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
    return marker;
  }
}
