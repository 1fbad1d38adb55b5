#include "trace_store.h"

#include <memory>
#include <utility>

namespace ap {

void TraceStore::TrackBinding(size_t step, size_t index) {
  Slot slot;
  slot.step = step;
  slot.index = index;
  slot.where = Where::kBound;
  Track(slot);
}

void TraceStore::TrackCall(size_t step, size_t call) {
  const CallEvent& event = steps_[step].calls[call];
  Slot slot;
  slot.step = step;
  slot.call = call;
  slot.where = Where::kIntermediate;
  for (slot.index = 0; slot.index < event.intermediates.size(); ++slot.index)
    Track(slot);
  slot.where = Where::kOutput;
  for (slot.index = 0; slot.index < event.outputs.size(); ++slot.index)
    Track(slot);
}

const Tensor& TraceStore::TensorOf(const Slot& slot) const {
  static const Tensor kNone;
  const StepRecord& step = steps_[slot.step];
  switch (slot.where) {
    case Where::kBound: {
      const Value& v = step.bound[slot.index].second;
      return v.is_tensor() ? v.as_tensor() : kNone;
    }
    case Where::kIntermediate:
      return step.calls[slot.call].intermediates[slot.index].tensor;
    case Where::kOutput:
      return step.calls[slot.call].outputs[slot.index].tensor;
  }
  return kNone;
}

void TraceStore::Track(const Slot& slot) {
  const Tensor& t = TensorOf(slot);
  if (!t.valid()) return;
  std::vector<size_t>& ids = slots_by_storage_[t.storage_id()];
  // The document summarises each kept storage once (min, max, mean).
  if (ids.empty()) {
    CurrentBudget()->CountCompute(t.num_elements() * compute_cost::kRead);
  }
  ids.push_back(slots_.size());
  slots_.push_back(slot);
}

bool TraceStore::OnlyTraceHolds(const void* storage) const {
  const std::vector<size_t>& ids = slots_by_storage_.at(storage);
  // Every Tensor object holds one reference: if each is one of our slots,
  // nobody else (the program, an op in progress) can read the values.
  return TensorOf(slots_[ids.front()]).storage_refs() ==
         static_cast<int64_t>(ids.size());
}

void TraceStore::Release(const void* storage, int64_t live_limit_bytes) {
  const auto it = slots_by_storage_.find(storage);
  const std::vector<size_t>& ids = it->second;
  // Views of one storage (WithShape) share dtype and count, so the stats.
  const Tensor::ValueStats stats =
      TensorOf(slots_[ids.front()]).ComputeValueStats();
  for (size_t id : ids) {
    ReleaseSlot(
        slots_[id],
        std::make_shared<const ReleasedTensor>(ReleasedTensor{
            DigestTensor(TensorOf(slots_[id]), stats), live_limit_bytes}));
  }
  // The key is only compared, never read: erasing it after the storage died
  // is fine (nothing was inserted meanwhile).
  slots_by_storage_.erase(it);
}

void TraceStore::ReleaseSlot(Slot& slot,
                             std::shared_ptr<const ReleasedTensor> released) {
  StepRecord& step = steps_[slot.step];
  switch (slot.where) {
    case Where::kBound:
      if (step.released.size() <= slot.index)
        step.released.resize(step.bound.size());
      step.released[slot.index] = std::move(released);
      step.bound[slot.index].second = Value();
      break;
    case Where::kIntermediate:
    case Where::kOutput: {
      CallEvent& call = step.calls[slot.call];
      TracedTensor& traced = slot.where == Where::kOutput
                                 ? call.outputs[slot.index]
                                 : call.intermediates[slot.index];
      traced.released = std::move(released);
      traced.tensor = Tensor();
      break;
    }
  }
  slot.released = true;
}

void TraceStore::Reclaim(const MemoryBudget& budget,
                         int64_t target_live_bytes) {
  const int64_t limit = budget.limits().max_total_bytes;
  for (size_t i = first_unreleased_;
       i < slots_.size() && budget.live_bytes() > target_live_bytes; ++i) {
    if (slots_[i].released) continue;
    const void* storage = TensorOf(slots_[i]).storage_id();
    if (OnlyTraceHolds(storage)) Release(storage, limit);
  }
  while (first_unreleased_ < slots_.size() &&
         slots_[first_unreleased_].released) {
    ++first_unreleased_;
  }
}

}  // namespace ap
