#include "sim/svg_chart.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace foldrank::sim {
namespace {

constexpr const char* kColors[] = {"#555753", "#3465a4", "#cc6600", "#4e9a06",
                                   "#75507b", "#c4a000", "#a40000"};
constexpr double kWidth = 760, kPanel = 260, kLeft = 56, kRight = 150, kTop = 28, kBottom = 34;

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string LearningCurvesSvg(const std::vector<LabeledCurve>& curves) {
  std::vector<std::string> models, arms;
  for (const LabeledCurve& c : curves) {
    if (std::find(models.begin(), models.end(), c.click_model) == models.end()) {
      models.push_back(c.click_model);
    }
    if (std::find(arms.begin(), arms.end(), c.arm) == arms.end()) arms.push_back(c.arm);
  }
  char buffer[512];
  std::string svg;
  std::snprintf(buffer, sizeof(buffer),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "font-family=\"sans-serif\" font-size=\"12\">\n"
                "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                kWidth, kPanel * static_cast<double>(models.size()));
  svg += buffer;
  for (std::size_t m = 0; m < models.size(); ++m) {
    const double top = kPanel * static_cast<double>(m);
    double max_sessions = 1, low = 1, high = 0;
    for (const LabeledCurve& c : curves) {
      if (c.click_model != models[m]) continue;
      for (const CurvePoint& p : c.curve) {
        max_sessions = std::max(max_sessions, static_cast<double>(p.sessions));
        low = std::min({low, p.trained_ndcg, p.offline_ndcg});
        high = std::max({high, p.trained_ndcg, p.offline_ndcg});
      }
    }
    low = std::max(0.0, low - 0.02);
    high = std::min(1.0, high + 0.02);
    if (high <= low) high = low + 0.1;
    const double plot_w = kWidth - kLeft - kRight, plot_h = kPanel - kTop - kBottom;
    auto x = [&](double sessions) { return kLeft + plot_w * sessions / max_sessions; };
    auto y = [&](double ndcg) { return top + kTop + plot_h * (1 - (ndcg - low) / (high - low)); };
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">%s users: NDCG@10 "
                  "(solid: trained intents, dashed: held-out)</text>\n"
                  "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                  "stroke=\"#999\"/>\n",
                  kLeft, top + 18, Escape(models[m]).c_str(), kLeft, top + kTop, plot_w, plot_h);
    svg += buffer;
    for (int t = 0; t <= 4; ++t) {
      const double v = low + (high - low) * t / 4;
      std::snprintf(buffer, sizeof(buffer),
                    "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>\n", kLeft - 4,
                    y(v) + 4, v);
      svg += buffer;
    }
    std::snprintf(buffer, sizeof(buffer),
                  "<text x=\"%.0f\" y=\"%.0f\">0</text><text x=\"%.0f\" y=\"%.0f\" "
                  "text-anchor=\"end\">%.0f sessions</text>\n",
                  kLeft, top + kPanel - 14, kLeft + plot_w, top + kPanel - 14, max_sessions);
    svg += buffer;
    for (std::size_t a = 0; a < arms.size(); ++a) {
      const char* color = kColors[a % std::size(kColors)];
      for (const LabeledCurve& c : curves) {
        if (c.click_model != models[m] || c.arm != arms[a]) continue;
        for (int dashed = 0; dashed < 2; ++dashed) {
          std::string points;
          for (const CurvePoint& p : c.curve) {
            std::snprintf(buffer, sizeof(buffer), "%.1f,%.1f ", x(static_cast<double>(p.sessions)),
                          y(dashed ? p.offline_ndcg : p.trained_ndcg));
            points += buffer;
          }
          svg += "<polyline fill=\"none\" stroke=\"" + std::string(color) +
                 "\" stroke-width=\"2\"" + (dashed ? " stroke-dasharray=\"5,4\"" : "") +
                 " points=\"" + points + "\"/>\n";
        }
      }
      std::snprintf(buffer, sizeof(buffer),
                    "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" "
                    "stroke-width=\"3\"/><text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
                    kWidth - kRight + 10, top + kTop + 10 + 18.0 * a, kWidth - kRight + 30,
                    top + kTop + 10 + 18.0 * a, color, kWidth - kRight + 36,
                    top + kTop + 14 + 18.0 * a, Escape(arms[a]).c_str());
      svg += buffer;
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace foldrank::sim
