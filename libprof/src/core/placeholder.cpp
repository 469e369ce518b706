// Placeholder so the core library has a source until the snapshot writer lands.
namespace prof::core {
int placeholder() { return 0; }
}  // namespace prof::core
