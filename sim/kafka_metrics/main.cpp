// kafka-metrics-gen: see generator.hpp.
//   kafka-metrics-gen --out metrics.om --truth truth.json [--days N] [--brokers N]
//                     [--principals N] [--topics N] [--partitions N] [--seed N] [--end EPOCH]
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "sim/kafka_metrics/generator.hpp"

int main(int argc, char** argv) {
  using namespace chitragupt::sim::kafka_metrics;
  ClusterShape shape;
  shape.end = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  std::string out_path, truth_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "kafka-metrics-gen: " << arg << " needs a value\n";
      return 2;
    }
    const std::string value = argv[++i];
    auto number = [&](const std::string& v) -> long long {
      char* end = nullptr;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 0) {
        std::cerr << "kafka-metrics-gen: " << arg << " expects a non-negative integer\n";
        std::exit(2);
      }
      return n;
    };
    if (arg == "--out")
      out_path = value;
    else if (arg == "--truth")
      truth_path = value;
    else if (arg == "--days")
      shape.days = static_cast<int>(number(value));
    else if (arg == "--brokers")
      shape.brokers = static_cast<int>(number(value));
    else if (arg == "--principals")
      shape.principals = static_cast<int>(number(value));
    else if (arg == "--topics")
      shape.topics = static_cast<int>(number(value));
    else if (arg == "--partitions")
      shape.partitions = static_cast<int>(number(value));
    else if (arg == "--seed")
      shape.seed = static_cast<std::uint64_t>(number(value));
    else if (arg == "--end")
      shape.end = number(value);
    else {
      std::cerr << "kafka-metrics-gen: unknown option " << arg << "\n";
      return 2;
    }
  }
  if (out_path.empty() || truth_path.empty() || shape.brokers < 1 || shape.topics < 1 ||
      shape.partitions < 1 || shape.days < 1) {
    std::cerr << "usage: kafka-metrics-gen --out FILE --truth FILE [--days N>=1] [--brokers N>=1] "
                 "[--principals N] [--topics N>=1] [--partitions N>=1] [--seed N] [--end EPOCH]\n";
    return 2;
  }
  std::ofstream out(out_path);
  auto truth = generate(shape, out);
  out.close();
  std::ofstream(truth_path) << truth_json(truth) << "\n";
  if (!out) {
    std::cerr << "kafka-metrics-gen: writing " << out_path << " failed\n";
    return 1;
  }
  std::cout << "days=" << truth.days.size() << " brokers=" << shape.brokers
            << " principals=" << shape.principals << "\n";
  return 0;
}
