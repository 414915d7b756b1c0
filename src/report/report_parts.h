// Internal: the pieces both sources of the report share (the output folder,
// src/report/output_folder.cc, and the run store, src/report/store_source.cc):
// a spread across episodes, a record's section with its `explain` timeline,
// and finding the kernel a run was played on. See include/fable/report.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/report.h"
#include "fable/status.h"

namespace fable::report {

// Median, minimum and maximum of `v` (the mean of the two middle values for
// an even count); all 0 when `v` is empty.
ReportSpread spread_of(std::vector<double> v);

// The section of record `r`: its fields, and `explain_record` on `kernel`
// (the kernel it was found on) for the verdict, headline and timeline. With
// no kernel (nullptr) the timeline is empty and explain_note says
// "No timeline: <kernel_note>".
ReportRecord report_record(const ExploitRecord& r, const Kernel* kernel,
                           const std::string& kernel_note);

// The kernel a run was played on, named NAME vVERSION with content hash
// `hash` (16 hex digits): the document `kernel` when given (refused when its
// content hash differs: "<kernel>: content hash H, but <played> was played
// on NAME vVERSION (hash HASH)"), else the document in `kernels_dir` found by
// name, version and hash (find_discovery_kernel's errors).
Result<Kernel> find_played_kernel(const std::string& kernel, const std::string& kernels_dir,
                                  const std::string& name, const std::string& version,
                                  const std::string& hash, std::string_view played);

}  // namespace fable::report
