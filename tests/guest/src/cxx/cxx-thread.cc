// cxx-thread.cc: C++ threading: std::thread with arguments, std::mutex and
// lock_guard, std::atomic, a condition_variable ping-pong whose output
// order is forced by the protocol, thread_local, std::async/future and
// std::call_once.  Everything printed is independent of scheduling.
#include <atomic>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

static std::mutex m;
static long guarded = 0;
static std::atomic<long> atomic_total{0};
static thread_local int tl_counter = 0;
static thread_local std::string tl_name = "init";

static void work(int id, int iters, int *tl_out)
{
	for (int i = 0; i < iters; i++) {
		{
			std::lock_guard<std::mutex> g(m);
			guarded += id;
		}
		atomic_total.fetch_add(1, std::memory_order_relaxed);
		tl_counter++;
	}
	tl_name += "-" + std::to_string(id);
	*tl_out = tl_counter * 1000 + (int)tl_name.size();
}

int main()
{
	std::vector<std::thread> ts;
	std::vector<int> tl(4);
	for (int i = 0; i < 4; i++)
		ts.emplace_back(work, i + 1, 10000, &tl[i]);
	for (auto &t : ts)
		t.join();
	std::cout << "guarded=" << guarded << " atomic=" << atomic_total.load() << "\n";
	for (int i = 0; i < 4; i++)
		std::cout << "thread " << i << " thread_local result " << tl[i] << "\n";
	std::cout << "main thread_local untouched: " << tl_counter << " " << tl_name << "\n";

	// ping-pong: strictly alternating output
	std::mutex pm;
	std::condition_variable cv;
	int turn = 0;
	std::vector<std::string> log;
	auto player = [&](int me, const char *word) {
		for (int i = 0; i < 5; i++) {
			std::unique_lock<std::mutex> lk(pm);
			cv.wait(lk, [&] { return turn % 2 == me; });
			log.push_back(std::string(word) + std::to_string(i));
			turn++;
			cv.notify_all();
		}
	};
	std::thread ping(player, 0, "ping"), pong(player, 1, "pong");
	ping.join();
	pong.join();
	for (const auto &s : log)
		std::cout << s << ' ';
	std::cout << "\n";

	// futures
	auto f1 = std::async(std::launch::async, [] {
		long s = 0;
		for (int i = 1; i <= 100000; i++)
			s += i;
		return s;
	});
	std::promise<std::string> prom;
	auto fut = prom.get_future();
	std::thread producer([&prom] { prom.set_value("from a promise"); });
	std::cout << "async sum " << f1.get() << ", " << fut.get() << "\n";
	producer.join();
	auto failing = std::async(std::launch::async, []() -> int { throw std::runtime_error("thrown in a thread"); });
	try {
		failing.get();
	} catch (const std::exception &e) {
		std::cout << "future rethrew: " << e.what() << "\n";
	}

	std::once_flag once;
	std::atomic<int> once_count{0};
	std::vector<std::thread> os;
	for (int i = 0; i < 4; i++)
		os.emplace_back([&] { std::call_once(once, [&] { once_count++; }); });
	for (auto &t : os)
		t.join();
	std::cout << "call_once ran " << once_count << " time(s)\n";
	std::cout << "hardware_concurrency is positive: " << (std::thread::hardware_concurrency() > 0) << "\n";
	return 0;
}
