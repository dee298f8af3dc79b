#include "truce/core/env.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace truce {
namespace {

TEST(EnvTest, Sha256KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(EnvTest, ResolveRelative) {
  EXPECT_EQ(ResolveRelative("examples/a/b.yaml", "zones/m4.geojson"), "examples/a/zones/m4.geojson");
  EXPECT_EQ(ResolveRelative("b.yaml", "m4.geojson"), "m4.geojson");
  EXPECT_EQ(ResolveRelative("a/b.yaml", "/abs/m4.geojson"), "/abs/m4.geojson");
  EXPECT_EQ(ResolveRelative("a/b/c.yaml", "../z.geojson"), "a/z.geojson");
}

TEST(EnvTest, RealFileSystemRoundTrip) {
  RealFileSystem fs;
  std::string dir = ::testing::TempDir() + "truce_env_test";
  std::filesystem::create_directories(dir);
  std::string path = dir + "/f.txt";
  ASSERT_TRUE(fs.WriteFileAtomic(path, "hello").ok());
  EXPECT_TRUE(fs.Exists(path));
  EXPECT_EQ(*fs.ReadFile(path), "hello");
  auto missing = fs.ReadFile(dir + "/nope.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs.ReadFile(dir).status().code(), StatusCode::kIoError);
  EXPECT_FALSE(fs.WriteFileAtomic(dir + "/no/such/dir/f", "x").ok());
}

TEST(EnvTest, MemFileSystemInjectsFaults) {
  MemFileSystem fs;
  fs.Put("a", "1");
  EXPECT_EQ(*fs.ReadFile("a"), "1");
  fs.fail_writes = true;
  EXPECT_FALSE(fs.WriteFileAtomic("b", "2").ok());
  EXPECT_FALSE(fs.Exists("b"));
}

TEST(EnvTest, FixedClock) {
  FixedClock clock(std::chrono::sys_seconds(std::chrono::seconds(1583445660)));
  EXPECT_EQ(clock.Now().time_since_epoch().count(), 1583445660);
}

}  // namespace
}  // namespace truce
