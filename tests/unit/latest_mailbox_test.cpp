#include "core/latest_mailbox.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/worker.h"

namespace fw::core {
namespace {

TEST(LatestMailbox, TakeGivesTheNewestValueAndCountsOverwrittenOnesAsDropped) {
  LatestMailbox<int> box;
  EXPECT_FALSE(box.TryTake().has_value());
  box.Publish(1);
  box.Publish(2);
  box.Publish(3);
  EXPECT_EQ(box.dropped(), 2);
  EXPECT_EQ(box.published(), 3);
  auto v = box.TryTake();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, 3);
  EXPECT_FALSE(box.TryTake().has_value());
  box.Publish(4);
  EXPECT_EQ(box.dropped(), 2);  // 3 was taken, so 4 overwrote nothing
}

TEST(LatestMailbox, CloseWakesEveryWaiter) {
  LatestMailbox<int> box;
  std::atomic<int> woken{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&] {
      auto v = box.Take();
      EXPECT_FALSE(v.has_value());
      ++woken;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  box.Close();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(woken.load(), 4);
  EXPECT_FALSE(box.Publish(5));
}

TEST(LatestMailbox, ValuesPublishedBeforeCloseCanStillBeTaken) {
  LatestMailbox<int> box;
  box.Publish(7);
  box.Close();
  auto v = box.Take();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, 7);
  EXPECT_FALSE(box.Take().has_value());
}

TEST(LatestMailbox, EveryPublishedValueIsEitherTakenOrCountedAsDropped) {
  LatestMailbox<int> box;
  constexpr int kCount = 20000;
  int64_t taken = 0;
  int last = -1;
  std::thread consumer([&] {
    while (auto v = box.Take()) {
      EXPECT_GT(*v, last);  // never an older value after a newer one
      last = *v;
      ++taken;
    }
  });
  for (int i = 0; i < kCount; ++i) box.Publish(i);
  box.Close();
  consumer.join();
  EXPECT_EQ(taken + box.dropped(), kCount);
  EXPECT_EQ(last, kCount - 1);
}

TEST(LatestMailbox, PublishBlockingLosesNothing) {
  LatestMailbox<int> box;
  constexpr int kCount = 5000;
  std::vector<int> got;
  std::thread consumer([&] {
    while (auto v = box.Take()) got.push_back(*v);
  });
  for (int i = 0; i < kCount; ++i) ASSERT_TRUE(box.PublishBlocking(i));
  box.Close();
  consumer.join();
  EXPECT_EQ(box.dropped(), 0);
  ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(got[i], i);
}

TEST(LatestMailbox, CloseWakesABlockedPublisher) {
  LatestMailbox<int> box;
  box.Publish(1);
  std::thread producer([&] { EXPECT_FALSE(box.PublishBlocking(2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  box.Close();
  producer.join();
}

TEST(LatestMailbox, TakeForTimesOutWithoutAValue) {
  LatestMailbox<int> box;
  EXPECT_FALSE(box.TakeFor(std::chrono::milliseconds(5)).has_value());
}

TEST(Worker, DestructorStopsAndJoinsABlockedBody) {
  LatestMailbox<int> box;
  std::atomic<int> seen{0};
  {
    Worker w(
        "consumer",
        [&](const std::atomic<bool>& stop) {
          while (!stop) {
            if (auto v = box.Take()) seen += *v;
          }
        },
        [&] { box.Close(); });
    box.Publish(5);
    while (seen.load() == 0) std::this_thread::yield();
  }
  EXPECT_EQ(seen.load(), 5);
}

TEST(Worker, AnExceptionInTheBodyBecomesAnErrorMessage) {
  Worker w("tracker", [](const std::atomic<bool>&) { throw std::runtime_error("model gone"); });
  while (!w.finished()) std::this_thread::yield();
  EXPECT_EQ(w.error(), "tracker: model gone");
}

}  // namespace
}  // namespace fw::core
