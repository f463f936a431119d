// cxx.cc: C++ runtime features: static constructors and destructors (in
// order), iostream formatting, std::string/vector/map/unordered_map/sort,
// exceptions thrown through several frames with RAII unwinding, rethrow,
// standard exceptions from the library, virtual dispatch with multiple
// inheritance, dynamic_cast/typeid, templates, lambdas and smart pointers.
// Exception unwinding walks .eh_frame with the libgcc unwinder, which
// reads the guest's own code and stack, so it is a good end-to-end test.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <vector>

struct Announce {
	const char *name;
	explicit Announce(const char *n) : name(n) { std::printf("static ctor %s\n", name); }
	~Announce() { std::printf("static dtor %s\n", name); }
};
static Announce first("first");
static Announce second("second");
static int computed = [] {
	std::printf("dynamic initializer runs before main\n");
	return 42;
}();

struct Shape {
	virtual ~Shape() = default;
	virtual double area() const = 0;
	virtual std::string name() const { return "shape"; }
};
struct Named {
	virtual ~Named() = default;
	virtual std::string label() const { return "named"; }
};
struct Rect : Shape {
	double w, h;
	Rect(double w_, double h_) : w(w_), h(h_) {}
	double area() const override { return w * h; }
	std::string name() const override { return "rect"; }
};
struct Square final : Rect, Named {
	explicit Square(double s) : Rect(s, s) {}
	std::string name() const override { return "square"; }
	std::string label() const override { return "square-label"; }
};
struct Circle : Shape {
	double r;
	explicit Circle(double r_) : r(r_) {}
	double area() const override { return 3.14159265358979 * r * r; }
};

struct Guard {
	std::string what;
	explicit Guard(std::string w) : what(std::move(w)) {}
	~Guard() { std::cout << "  unwinding: ~Guard(" << what << ")\n"; }
};

struct AppError : std::runtime_error {
	int code;
	AppError(const std::string &m, int c) : std::runtime_error(m), code(c) {}
};

static int level3(int x)
{
	Guard g("level3");
	if (x > 2)
		throw AppError("x too large: " + std::to_string(x), x * 10);
	return x;
}
static int level2(int x)
{
	Guard g("level2");
	return level3(x + 1) + 1;
}
static int level1(int x)
{
	Guard g("level1");
	try {
		return level2(x + 1);
	} catch (const std::logic_error &) {
		std::cout << "  wrong handler\n";
		return -1;
	}
}

template <typename T> static T sum_all(const std::vector<T> &v)
{
	return std::accumulate(v.begin(), v.end(), T{});
}

int main()
{
	std::cout << "main starts, computed=" << computed << "\n";

	// iostream formatting
	std::cout << std::hex << 255 << " " << std::showbase << 255 << std::dec << std::noshowbase << " "
		  << std::setw(8) << std::setfill('*') << 42 << std::setfill(' ') << " "
		  << std::fixed << std::setprecision(3) << 3.14159 << " " << std::scientific << 12345.678
		  << std::defaultfloat << " " << 0.1 + 0.2 << " " << std::boolalpha << true << "\n";
	std::ostringstream os;
	os << "built " << 3 << ' ' << 4.5 << ' ' << std::string("in a stringstream");
	std::cout << os.str() << "\n";
	std::istringstream is("10 20 thirty 40");
	int a, b;
	std::string word;
	is >> a >> b >> word;
	std::cout << "parsed " << a + b << " and '" << word << "'\n";

	// strings
	std::string s = "Hello, C++ world";
	s += "!";
	std::string up = s;
	std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return (char)std::toupper(c); });
	std::cout << up << " len=" << s.size() << " find=" << s.find("C++") << " substr=" << s.substr(7, 3)
		  << " npos=" << (s.find("xyz") == std::string::npos) << "\n";
	std::string longstr(1000, 'x');
	longstr.replace(10, 5, "REPLACED");
	std::cout << "long string size " << longstr.size() << " at 10: " << longstr.substr(8, 12) << "\n";

	// containers and algorithms
	std::vector<int> v;
	for (int i = 0; i < 50; i++)
		v.push_back((i * 37 + 11) % 101);
	std::sort(v.begin(), v.end());
	std::cout << "sorted head:";
	for (int i = 0; i < 8; i++)
		std::cout << ' ' << v[i];
	std::cout << " sum=" << sum_all(v) << " max=" << *std::max_element(v.begin(), v.end()) << "\n";
	std::stable_sort(v.begin(), v.end(), [](int x, int y) { return x % 10 < y % 10; });
	std::cout << "by last digit head:";
	for (int i = 0; i < 8; i++)
		std::cout << ' ' << v[i];
	std::cout << "\n";
	std::map<std::string, int> counts;
	for (const char *w : {"pear", "apple", "pear", "fig", "apple", "pear"})
		counts[w]++;
	for (const auto &[k, n] : counts)
		std::cout << k << '=' << n << ' ';
	std::cout << "\n";
	std::unordered_map<int, std::string> um;
	for (int i = 0; i < 100; i++)
		um[i * i] = std::to_string(i);
	std::vector<int> keys;
	for (const auto &kv : um)
		keys.push_back(kv.first);
	std::sort(keys.begin(), keys.end());
	std::cout << "unordered_map size " << um.size() << " um[81]=" << um[81] << " last key " << keys.back() << "\n";

	// virtual dispatch
	std::vector<std::unique_ptr<Shape>> shapes;
	shapes.push_back(std::make_unique<Rect>(2, 3));
	shapes.push_back(std::make_unique<Square>(4));
	shapes.push_back(std::make_unique<Circle>(1));
	for (const auto &sh : shapes) {
		std::cout << sh->name() << " area " << sh->area();
		if (auto *n = dynamic_cast<Named *>(sh.get()))
			std::cout << " label " << n->label();
		std::cout << " is Rect: " << (dynamic_cast<Rect *>(sh.get()) != nullptr) << "\n";
	}
	std::cout << "typeid: " << (typeid(*shapes[1]) == typeid(Square)) << "\n";

	// exceptions
	for (int x : {0, 1, 5}) {
		std::cout << "calling level1(" << x << ")\n";
		try {
			int r = level1(x);
			std::cout << "level1(" << x << ") = " << r << "\n";
		} catch (const AppError &e) {
			std::cout << "caught AppError: " << e.what() << " code " << e.code << "\n";
		}
	}
	try {
		try {
			throw std::out_of_range("inner");
		} catch (const std::exception &e) {
			std::cout << "rethrowing " << e.what() << "\n";
			throw;
		}
	} catch (const std::out_of_range &e) {
		std::cout << "caught rethrown out_of_range: " << e.what() << "\n";
	}
	try {
		std::vector<int> small(3);
		(void)small.at(10);
	} catch (const std::out_of_range &) {
		std::cout << "vector::at threw out_of_range\n";
	}
	try {
		std::size_t huge = std::size_t(1) << 62;
		auto p = std::make_unique<char[]>(huge);
		std::cout << "allocated?! " << (p != nullptr) << "\n";
	} catch (const std::bad_alloc &) {
		std::cout << "bad_alloc caught\n";
	}
	try {
		throw 7;
	} catch (int n) {
		std::cout << "caught int " << n << "\n";
	}
	try {
		std::stoi("not a number");
	} catch (const std::invalid_argument &) {
		std::cout << "stoi threw invalid_argument\n";
	}
	auto eptr = std::make_exception_ptr(std::runtime_error("stored"));
	try {
		std::rethrow_exception(eptr);
	} catch (const std::runtime_error &e) {
		std::cout << "exception_ptr: " << e.what() << "\n";
	}

	// lambdas, std::function, shared_ptr
	int base = 100;
	std::function<int(int)> add = [base](int x) { return base + x; };
	std::function<int(int)> fib = [&fib](int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); };
	std::cout << "add(5)=" << add(5) << " fib(20)=" << fib(20) << "\n";
	auto sp = std::make_shared<std::string>("shared");
	{
		auto sp2 = sp;
		std::cout << "use_count " << sp.use_count();
	}
	std::cout << " then " << sp.use_count() << "\n";
	std::cout << "main ends" << std::endl;
	return 0;
}
