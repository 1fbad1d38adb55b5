// Lets the run's trace give tensor memory back to the program.
//
// The trace keeps every tensor it records so the run document can summarise
// it and a client can fetch its values by id (the heatmap of an earlier
// step's attention weights). Those references keep the storage charged to
// the run's MemoryBudget, so without this a loop that rebinds one large
// tensor would hit a ResourceExhaustedError on the trace's copies alone,
// where TensorFlow runs it fine.
//
// Under memory pressure (MemoryBudget::Charge) the store walks the recorded
// tensors oldest first. A storage that only the trace still references
// (every reference to it is a recorded slot) is summarised into a
// ReleasedTensor and dropped from every slot, which frees its bytes; the walk
// stops once the allocation fits. The budget thus still bounds program and
// retained trace tensors together.
//
// Slots are the tensors at the top level of StepRecord.bound values and the
// CallEvent intermediates and outputs. Tensors nested in lists, tuples or
// dicts are not slots and are never released: the container holds their
// storage, and a container can be shared with the program. RunResult.globals
// needs no slots: it is filled after the program ends, when nothing
// allocates any more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "../tensor.h"
#include "run_result.h"

namespace ap {

class TraceStore : public MemoryReclaimer {
 public:
  // `steps` must outlive the store; it may grow (slots are indices into it).
  explicit TraceStore(std::vector<StepRecord>& steps) : steps_(steps) {}

  // Records the tensor, if any, of steps[step].bound[index].
  void TrackBinding(size_t step, size_t index);
  // Records the intermediates and outputs of steps[step].calls[call].
  void TrackCall(size_t step, size_t call);

  void Reclaim(const MemoryBudget& budget, int64_t target_live_bytes) override;

 private:
  enum class Where : uint8_t { kBound, kIntermediate, kOutput };
  struct Slot {
    size_t step = 0;
    size_t call = 0;   // unused for kBound
    size_t index = 0;  // into bound, intermediates or outputs
    Where where = Where::kBound;
    bool released = false;
  };

  const Tensor& TensorOf(const Slot& slot) const;
  void Track(const Slot& slot);
  bool OnlyTraceHolds(const void* storage) const;
  void Release(const void* storage, int64_t live_limit_bytes);
  void ReleaseSlot(Slot& slot, std::shared_ptr<const ReleasedTensor> released);

  std::vector<StepRecord>& steps_;
  std::vector<Slot> slots_;  // in recording order: oldest first
  size_t first_unreleased_ = 0;
  // The slots that reference each storage still held (keys are live
  // storages: the slots keep them alive, so an address is never reused).
  std::map<const void*, std::vector<size_t>> slots_by_storage_;
};

}  // namespace ap
