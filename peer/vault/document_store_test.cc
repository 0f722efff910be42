#include "peer/vault/document_store.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::vault {
namespace {

using ::testing::HasSubstr;

std::string Sha(std::string_view data) { return HexEncode(crypto::Sha256Bytes(data)); }

MasterKey Key(char fill) { return *MasterKey::FromBytes(std::string(32, fill)); }

class DocumentStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<DocumentStore> OpenStore(char key_fill = 'k', DocumentStoreOptions options = {}) {
    absl::StatusOr<std::unique_ptr<DocumentStore>> store =
        DocumentStore::Open(dir_.Path("vault"), Key(key_fill), std::move(options));
    EXPECT_TRUE(store.ok()) << store.status();
    return *std::move(store);
  }
  std::string DocumentFile(const std::string& address) { return dir_.Path("vault/documents/" + address); }
  std::string KeyFile(const std::string& address) { return dir_.Path("vault/keys/" + address); }

  // Flips one bit of `path`'s byte at `offset` (from the end if negative).
  void FlipBit(const std::string& path, long offset) {
    std::string data = *file::ReadFile(path);
    const size_t at = offset >= 0 ? static_cast<size_t>(offset) : data.size() - static_cast<size_t>(-offset);
    data[at] = static_cast<char>(data[at] ^ 0x01);
    ASSERT_TRUE(file::WriteFileAtomic(path, data, 0600).ok());
  }

  careledger::testing::ScopedTempDir dir_;
  const std::string report_ = "lab report: haemoglobin 13.9 g/dL";
};

TEST_F(DocumentStoreTest, RoundTrip) {
  auto store = OpenStore();
  absl::StatusOr<StoredDocument> stored = store->Put(report_, Sha(report_));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->address, Sha(report_));
  EXPECT_EQ(stored->size, report_.size());
  EXPECT_FALSE(stored->already_stored);
  EXPECT_EQ(*store->Get(Sha(report_)), report_);
  EXPECT_TRUE(*store->Contains(Sha(report_)));
}

TEST_F(DocumentStoreTest, FilesHoldNoPlaintextAndSurviveReopening) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  }
  EXPECT_THAT(*file::ReadFile(DocumentFile(Sha(report_))), ::testing::Not(HasSubstr("haemoglobin")));
  auto store = OpenStore();
  EXPECT_EQ(*store->Get(Sha(report_)), report_);
}

TEST_F(DocumentStoreTest, EmptyDocumentAndUpperCaseAddress) {
  auto store = OpenStore();
  std::string upper = Sha("");
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  ASSERT_TRUE(store->Put("", upper).ok());
  EXPECT_EQ(*store->Get(upper), "");
}

TEST_F(DocumentStoreTest, SameContentTwiceIsIdempotent) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  const std::string ciphertext = *file::ReadFile(DocumentFile(Sha(report_)));
  absl::StatusOr<StoredDocument> again = store->Put(report_, Sha(report_));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_stored);
  EXPECT_EQ(*file::ReadFile(DocumentFile(Sha(report_))), ciphertext);
}

TEST_F(DocumentStoreTest, HashMismatchStoresNothing) {
  auto store = OpenStore();
  const absl::StatusOr<StoredDocument> stored = store->Put(report_, Sha("another document"));
  EXPECT_EQ(stored.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(stored.status().message()), HasSubstr("hash mismatch"));
  EXPECT_THAT(std::string(stored.status().message()), HasSubstr(Sha(report_)));
  EXPECT_TRUE(file::ListFiles(dir_.Path("vault/documents"))->empty());
  EXPECT_TRUE(file::ListFiles(dir_.Path("vault/keys"))->empty());
}

TEST_F(DocumentStoreTest, MalformedAddressesAreRefused) {
  auto store = OpenStore();
  for (const std::string& bad : {std::string("abc"), std::string(64, 'g'), std::string("../../etc/passwd"),
                                 std::string(65, 'a')}) {
    EXPECT_EQ(store->Put(report_, bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->Get(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->Erase(bad, absl::Now(), "x").status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(DocumentStoreTest, SizeLimit) {
  DocumentStoreOptions options;
  options.max_document_bytes = 16;
  auto store = OpenStore('k', options);
  const std::string big(17, 'x');
  const absl::StatusOr<StoredDocument> stored = store->Put(big, Sha(big));
  EXPECT_EQ(stored.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(stored.status().message()), HasSubstr("limit of 16 bytes"));
  EXPECT_TRUE(store->Put(std::string(16, 'x'), Sha(std::string(16, 'x'))).ok());
}

TEST_F(DocumentStoreTest, UnknownAddressIsNotFound) {
  auto store = OpenStore();
  const absl::StatusOr<std::string> got = store->Get(Sha("never stored"));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(Sha("never stored")));
}

TEST_F(DocumentStoreTest, TamperedCiphertextIsDataLoss) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  FlipBit(DocumentFile(Sha(report_)), 20);
  const absl::StatusOr<std::string> got = store->Get(Sha(report_));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(got.status().message()), HasSubstr("ciphertext of document " + Sha(report_)));
}

TEST_F(DocumentStoreTest, TamperedTagOrNonceIsDataLoss) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  FlipBit(DocumentFile(Sha(report_)), -1);
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kDataLoss);
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());  // a damaged copy is replaced by a good one
  EXPECT_EQ(*store->Get(Sha(report_)), report_);
  FlipBit(DocumentFile(Sha(report_)), 3);
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(DocumentStoreTest, TamperedWrappedKeyIsDataLoss) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  FlipBit(KeyFile(Sha(report_)), 15);
  const absl::StatusOr<std::string> got = store->Get(Sha(report_));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(got.status().message()), HasSubstr("wrapped key of document " + Sha(report_)));
}

TEST_F(DocumentStoreTest, FilesSwappedBetweenAddressesDoNotOpen) {
  auto store = OpenStore();
  const std::string other = "another report";
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  ASSERT_TRUE(store->Put(other, Sha(other)).ok());
  ASSERT_TRUE(file::WriteFileAtomic(DocumentFile(Sha(report_)), *file::ReadFile(DocumentFile(Sha(other))), 0600).ok());
  ASSERT_TRUE(file::WriteFileAtomic(KeyFile(Sha(report_)), *file::ReadFile(KeyFile(Sha(other))), 0600).ok());
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(DocumentStoreTest, WrongMasterKeyIsDataLoss) {
  {
    auto store = OpenStore('k');
    ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  }
  auto store = OpenStore('x');
  const absl::StatusOr<std::string> got = store->Get(Sha(report_));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(got.status().message()), HasSubstr("master key"));
}

TEST_F(DocumentStoreTest, CrashBetweenTheTwoWritesLeavesNothingVisible) {
  {
    DocumentStoreOptions options;
    options.before_key_write = [] { return absl::AbortedError("simulated crash"); };
    auto store = OpenStore('k', options);
    EXPECT_EQ(store->Put(report_, Sha(report_)).status().code(), absl::StatusCode::kAborted);
  }
  EXPECT_TRUE(file::Exists(DocumentFile(Sha(report_))));
  auto store = OpenStore();
  EXPECT_FALSE(*store->Contains(Sha(report_)));
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  EXPECT_EQ(*store->Get(Sha(report_)), report_);
}

TEST_F(DocumentStoreTest, ErasureMakesTheDocumentUnrecoverableAndSaysSo) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Put(report_, Sha(report_)).ok());
  const std::string ciphertext = *file::ReadFile(DocumentFile(Sha(report_)));
  const absl::Time when = absl::FromUnixSeconds(1700000000);
  absl::StatusOr<Tombstone> tombstone = store->Erase(Sha(report_), when, "patient P-2001 (Hospital1MSP)\nx");
  ASSERT_TRUE(tombstone.ok()) << tombstone.status();
  EXPECT_EQ(tombstone->erased_at, when);
  EXPECT_EQ(tombstone->erased_by, "patient P-2001 (Hospital1MSP) x");
  EXPECT_FALSE(file::Exists(KeyFile(Sha(report_))));
  EXPECT_FALSE(file::Exists(DocumentFile(Sha(report_))));
  EXPECT_FALSE(*store->Contains(Sha(report_)));

  const absl::StatusOr<std::string> got = store->Get(Sha(report_));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(got.status().message()),
              HasSubstr("document " + Sha(report_) + " was erased at 2023-11-14T22:13:20Z"));

  // Even a copy of the ciphertext kept elsewhere is useless without the wrapped key.
  ASSERT_TRUE(file::WriteFileAtomic(DocumentFile(Sha(report_)), ciphertext, 0600).ok());
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kFailedPrecondition);

  // Erasing again keeps the first tombstone; storing the content again is refused.
  absl::StatusOr<Tombstone> again = store->Erase(Sha(report_), when + absl::Hours(1), "someone else");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->erased_at, when);
  EXPECT_FALSE(file::Exists(DocumentFile(Sha(report_))));
  const absl::StatusOr<StoredDocument> restore = store->Put(report_, Sha(report_));
  EXPECT_EQ(restore.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(restore.status().message()), HasSubstr("was erased"));

  // The tombstone survives reopening.
  store.reset();
  store = OpenStore();
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DocumentStoreTest, ErasingWhatWasNeverStoredIsNotFound) {
  auto store = OpenStore();
  EXPECT_EQ(store->Erase(Sha("nothing"), absl::Now(), "x").status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(store->ErasedAt(Sha("nothing"))->has_value());
}

TEST_F(DocumentStoreTest, CorruptTombstoneIsDataLoss) {
  auto store = OpenStore();
  ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("vault/erased/" + Sha(report_)), "garbage", 0600).ok());
  EXPECT_EQ(store->Get(Sha(report_)).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace careledger::vault
