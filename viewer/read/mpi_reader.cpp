// Reads the optional `mpi` section (docs/SNAPSHOT.md): what the MPI interposer counted per operation.
#include <fmt/format.h>

#include "read/mpi_reader.hpp"
#include "units.hpp"

namespace prof::viewer {

std::int64_t Mpi::total_ns() const {
  std::int64_t sum = 0;
  for (const auto& operation : operations)
    sum = add_saturating(sum, operation.total_ns);
  return sum;
}

namespace {

std::optional<std::int64_t> optional_count(const json::object& object, std::string_view key) {
  auto value = json::find(object, key);
  if (!value) return std::nullopt;
  return json::to_count(*value, json::join("mpi", key));
}

MpiOperation read_operation(const json::element& value, const std::string& where) {
  auto object = json::to_object(value, where);
  auto count = [&](std::string_view key) {
    return json::to_count(json::require(object, key, where), json::join(where, key));
  };
  MpiOperation operation;
  operation.name =
      std::string(json::to_string(json::require(object, "name", where), json::join(where, "name")));
  if (operation.name.empty()) json::fail(fmt::format("{}.name: must not be empty", where));
  operation.calls = count("calls");
  operation.bytes_sent = count("bytes_sent");
  operation.bytes_received = count("bytes_received");
  operation.total_ns = count("total_ns");
  return operation;
}

}  // namespace

Mpi read_mpi(const json::element& value) {
  auto object = json::to_object(value, "mpi");
  Mpi mpi;
  if (auto library = json::find(object, "library"))
    mpi.library = std::string(json::to_string(*library, "mpi.library"));
  mpi.rank = optional_count(object, "rank");
  mpi.size = optional_count(object, "size");
  std::size_t i = 0;
  for (auto entry : json::to_array(json::require(object, "operations", "mpi"), "mpi.operations"))
    mpi.operations.push_back(read_operation(entry, fmt::format("mpi.operations[{}]", i++)));
  return mpi;
}

}  // namespace prof::viewer
