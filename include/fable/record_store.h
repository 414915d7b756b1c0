// The one writer of exploit records: appends records to an exploit folder.
//
// Every command that writes records goes through `append_records`: the
// tournament's artifact writer (exploits/ of a fresh output folder), `run
// --exploit-dir` and `holes --write-records`. Its rules (docs/record-format.md,
// "Writing records") follow from records being one-way doors (SPEC rule 3):
//  - the folder is created when missing; a path that exists and is not a
//    folder is refused;
//  - every *.json file already in the folder must be a record (a file that is
//    not is one clear error naming it, and nothing is written);
//  - a record whose fingerprint is already in the folder (or earlier in the
//    same call) is not written again: the hole is recorded once;
//  - new records are numbered EXP-NNN after the highest id in the folder
//    (RecordIds::kAfterHighest), or keep their own id (RecordIds::kAsGiven:
//    the six canonical holes are EXP-001..006 by SPEC section 7); an id taken
//    by another fingerprint is refused before anything is written;
//  - each file is written to a temporary name in the folder and linked to
//    its final name, which fails if that name exists: no file is ever
//    overwritten, and no half-written record ever carries a record's name.
#pragma once

#include <string>
#include <vector>

#include "fable/record.h"
#include "fable/status.h"

namespace fable {

// How append_records names the records it writes.
enum class RecordIds {
  kAfterHighest,  // EXP-NNN from max(first_id, highest id in the folder + 1), in input order
  kAsGiven,       // each record's own exploit_id
};

struct AppendOptions {
  RecordIds ids = RecordIds::kAfterHighest;
  int first_id = 1;  // kAfterHighest: the lowest number given; 1..999999
};

// What became of one input record, in input order.
struct AppendedRecord {
  std::string exploit_id;  // the id written, or the id of the record already there
  std::string path;        // its file in the folder
  bool written = false;    // false: its fingerprint was already recorded (at `path`)
};

// Whether append_records could append to `dir` as it stands, without
// writing anything: a missing folder is fine; else it must be a folder whose
// every *.json is a valid record. For commands to check an --exploit-dir
// before they play, rather than after. Errors as append_records's reading.
Status check_record_folder(const std::string& dir);

// Appends `records` to the folder `dir` by the rules above. Returns one
// entry per input record. Errors: Status::Invalid when `dir` is not a folder,
// an existing *.json is not a valid record, an id is malformed or taken by
// another fingerprint, or first_id is out of range; Status::Io when the folder
// cannot be created or read or a file cannot be written (records written
// before the failure stay; the failed one leaves no file behind).
Result<std::vector<AppendedRecord>> append_records(const std::string& dir,
                                                   const std::vector<ExploitRecord>& records,
                                                   const AppendOptions& options = {});

}  // namespace fable
