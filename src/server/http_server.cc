// Sockets: Boost.Beast/Asio. One acceptor, N I/O threads running one
// io_context, one strand per connection, and a pool of work threads for the
// heavy routes (extraction, waits for jobs), so that the I/O threads
// keep answering while those run.
//
// A request is taken in two steps. Its header is read raw (up to 16 kB) and
// checked for ambiguous framing (CheckFraming: smuggling), then parsed by
// Beast, routed and authenticated (Api::Admit); only an admitted request has
// its body read. A refused one is answered at once and, when a body was
// announced, the connection is closed after draining what the client still
// sends (so that it reads the answer rather than a reset).
//
// Every response carries X-Request-Id; no exception escapes a handler or the
// I/O loops (logged, the connection closed, the server keeps serving).
// Boost 1.74's Asio uses std::exchange without including <utility> (C++20).
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include "api.h"
#include "truce/server/server.h"

namespace truce::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// The request line and header fields together; larger is 431.
constexpr std::size_t kHeaderLimit = 16 * 1024;

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Server::Impl holds these, so they have names outside the anonymous
// namespace (a unity build would otherwise warn: -Wsubobject-linkage).
namespace connection {

class Session;

// What sessions share: the API, the logs, the work threads, and the set of
// live sessions (so that a shutdown can close the idle ones, and the accept
// loop the longest-idle one at the connection limit or out of descriptors).
struct Shared {
  Api* api = nullptr;
  const ServerOptions* options = nullptr;
  net::io_context* ioc = nullptr;
  net::thread_pool* work = nullptr;
  std::ostream* access_log = nullptr;
  std::mutex log_mu;
  std::mutex sessions_mu;
  std::set<std::shared_ptr<Session>> sessions;
  std::atomic<bool> stopping{false};
  // Heavy requests running or queued on `work`.
  std::atomic<std::size_t> work_pending{0};
  // Request ids: a random prefix per process (ids stay apart across
  // restarts in one log) and a counter.
  std::string id_prefix;
  std::atomic<std::uint64_t> next_id{1};

  std::string NextId() { return id_prefix + "-" + std::to_string(next_id.fetch_add(1)); }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void Start() {
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      address_ = ep.address().to_string();
      remote_ = address_ + ":" + std::to_string(ep.port());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Guarded([&] { self->Read(); }); });
  }

  // On the session's strand: close now when waiting for a request, else
  // after the answer in progress.
  void CloseIfIdle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

  // Since when this connection has waited for a request (steady clock, ns);
  // 0 while a request is being answered.
  std::int64_t idle_since_ns() const { return idle_since_ns_.load(); }

 private:
  // Runs one step of the session; an exception (a bug) closes this
  // connection only.
  template <typename F>
  void Guarded(F&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      shared_.api->LogError("connection " + remote_ + ": unexpected exception: " + e.what());
      Close();
    } catch (...) {
      shared_.api->LogError("connection " + remote_ + ": unexpected exception");
      Close();
    }
  }

  // Waits for the next request.
  void Read() {
    busy_ = false;
    lingering_ = false;
    // Nothing of the last request may leak into a refusal of the next one
    // before its header is parsed.
    request_ = Request{};
    log_method_ = "-";
    log_target_ = "-";
    keep_alive_ = http10_ = head_ = false;
    idle_since_ns_.store(NowNs());
    stream_.expires_after(std::chrono::seconds(shared_.options->idle_timeout_s));
    ReadHeader();
  }

  // Reads until the empty line that ends the header (it may be in the
  // buffer already: a pipelined request).
  void ReadHeader() {
    auto text = [&] {
      return std::string_view(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    };
    // Empty lines before a request line are ignored (RFC 9112 section 2.2).
    while (text().substr(0, 2) == "\r\n") buffer_.consume(2);
    const std::size_t end = text().find("\r\n\r\n");
    if (end != std::string_view::npos) return OnHeader(end + 4);
    // A header with bare LF line ends would never show the CRLF CRLF looked
    // for: refuse it now rather than at the timeout.
    const std::string_view partial = text();
    for (std::size_t i = 0; i < partial.size(); ++i) {
      if (partial[i] == '\n' && (i == 0 || partial[i - 1] != '\r')) {
        return Refuse(400, "bad_request", "a header line ends in LF without CR");
      }
    }
    if (buffer_.size() > kHeaderLimit) {
      return Refuse(431, "too_large", "the request header is larger than " + std::to_string(kHeaderLimit) + " bytes");
    }
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->Guarded([&] {
        if (ec) return self->Close();  // closed, reset, or the idle timeout
        self->buffer_.commit(n);
        self->ReadHeader();
      });
    });
  }

  void OnHeader(std::size_t head_bytes) {
    busy_ = true;
    idle_since_ns_.store(0);
    started_ = std::chrono::steady_clock::now();
    request_ = Request{};
    request_.id = shared_.NextId();
    request_.remote_address = address_;
    log_method_ = "-";
    log_target_ = "-";
    const std::string_view head(static_cast<const char*>(buffer_.data().data()), head_bytes);
    if (const std::string why = CheckFraming(head); !why.empty()) return Refuse(400, "bad_request", why);

    parser_.emplace();
    parser_->header_limit(kHeaderLimit + 4);
    // The route's limit is set once admitted (Admit answers 413 on the
    // Content-Length); not boost::none: Beast 1.74 compares a Content-Length
    // with it as with a value, and none is less than every value.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::error_code ec;
    const std::size_t used = parser_->put(net::buffer(head.data(), head.size()), ec);
    if (!ec && (used != head_bytes || !parser_->is_header_done())) ec = http::error::bad_field;
    if (ec) return Refuse(400, "bad_request", "the request header: " + ec.message());
    buffer_.consume(used);

    auto& req = parser_->get();
    request_.method = std::string(req.method_string());
    request_.target = std::string(req.target());
    request_.authorization = std::string(req[http::field::authorization]);
    request_.content_type = std::string(req[http::field::content_type]);
    request_.accept_encoding = std::string(req[http::field::accept_encoding]);
    request_.if_none_match = std::string(req[http::field::if_none_match]);
    if (auto n = parser_->content_length()) request_.content_length = *n;
    log_method_ = request_.method;
    log_target_ = request_.target;
    keep_alive_ = req.keep_alive();
    http10_ = req.version() == 10;
    head_ = req.method() == http::verb::head;
    if (head_) request_.method = "GET";
    const bool has_body = !parser_->is_done();

    admission_ = shared_.api->Admit(request_);
    if (admission_.refusal) {
      // The body is not read: the connection cannot be used again.
      if (has_body) lingering_ = true;
      return Respond(admission_.refusal);
    }
    if (!has_body) return OnBody({});
    parser_->body_limit(admission_.max_body_bytes);
    stream_.expires_after(std::chrono::seconds(shared_.options->body_timeout_s));
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // The client waits for this before it sends the body (curl: 1 s).
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(stream_, net::buffer(kContinue),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                self->Guarded([&] {
                                  if (ec) return self->Close();
                                  self->ReadBody();
                                });
                              });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->Guarded([&] { self->OnBody(ec); });
    });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Refuse(413, "too_large",
                    "the request body is larger than " + std::to_string(admission_.max_body_bytes) + " bytes");
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec) return Refuse(400, "bad_request", "the request body: " + ec.message());
    request_.body = std::move(parser_->get().body());
    parser_.reset();
    if (!admission_.heavy) return Respond(shared_.api->Handle(request_, admission_));

    // A heavy route: on a work thread; this strand is idle meanwhile (no
    // operation pending), so the job may read request_ and admission_.
    const ServerOptions& o = *shared_.options;
    if (shared_.work_pending.fetch_add(1) >= static_cast<std::size_t>(o.work_threads) + o.work_queue) {
      shared_.work_pending.fetch_sub(1);
      return Respond(Prepare(RetryLater(
          503, "busy",
          "the server is busy with " + std::to_string(o.work_threads + o.work_queue) +
              " extractions, ingests or agreement writes; try again in a few seconds",
          5)));
    }
    // The guard keeps ioc.run() from returning while the job has nothing
    // pending on the io_context.
    net::post(*shared_.work, [self = shared_from_this(), guard = net::make_work_guard(*shared_.ioc)]() mutable {
      std::shared_ptr<const Prepared> answer = self->shared_.api->Handle(self->request_, self->admission_);
      self->shared_.work_pending.fetch_sub(1);
      net::post(self->stream_.get_executor(), [self, answer = std::move(answer)] {
        self->Guarded([&] { self->Respond(answer); });
      });
      guard.reset();
    });
  }

  // Answers without reading (more of) the request, then drains and closes.
  void Refuse(int status, const std::string& code, const std::string& message) {
    busy_ = true;
    idle_since_ns_.store(0);
    if (request_.id.empty()) request_.id = shared_.NextId();
    lingering_ = true;
    Respond(Prepare(ErrorResponse(status, code, message)));
  }

  void Respond(const std::shared_ptr<const Prepared>& prepared) {
    // The answer may come long after the read's deadline (a heavy route);
    // a slow reader gets as long as a body may take to arrive.
    stream_.expires_after(std::chrono::seconds(shared_.options->body_timeout_s));
    prepared_ = prepared;
    status_ = prepared->response.status;
    const bool keep_alive = keep_alive_ && !lingering_ && !shared_.stopping.load();
    id_line_ = "X-Request-Id: " + request_.id + "\r\n";
    if (keep_alive && !http10_ && !head_) {
      // The prepared head and body (maybe a cached answer, shared) with the
      // id line and the empty line between them: three buffers, one write.
      id_line_ += "\r\n";
      const std::string_view body = prepared_->Body();
      const std::array<net::const_buffer, 3> parts = {net::buffer(prepared_->head), net::buffer(id_line_),
                                                       net::buffer(body.data(), body.size())};
      return Write(parts, true);
    }
    owned_ = Serialize(prepared_->response, keep_alive, http10_ && keep_alive);
    const std::size_t header_end = owned_.find("\r\n\r\n") + 2;
    owned_.insert(header_end, id_line_);
    if (head_) owned_.resize(owned_.find("\r\n\r\n") + 4);
    Write(std::array<net::const_buffer, 1>{net::buffer(owned_)}, keep_alive);
  }

  template <typename Buffers>
  void Write(const Buffers& buffers, bool keep_alive) {
    const std::size_t bytes = net::buffer_size(buffers);
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), keep_alive, bytes](beast::error_code ec, std::size_t) {
                       self->Guarded([&] {
                         self->Log(bytes);
                         self->prepared_.reset();
                         self->owned_.clear();
                         self->request_.body.clear();
                         if (!ec && self->lingering_) return self->Linger();
                         if (ec || !keep_alive || self->shared_.stopping.load()) return self->Close();
                         self->Read();
                       });
                     });
  }

  void Log(std::size_t bytes) {
    if (shared_.access_log == nullptr) return;
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    nlohmann::json line = {{"time", time::FormatInstantUtc(now)}, {"id", request_.id},   {"remote", remote_},
                           {"method", log_method_},                {"target", log_target_}, {"status", status_},
                           {"bytes", bytes},                       {"us", us}};
    // The target is what the client sent: replace what is not UTF-8.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard<std::mutex> lock(shared_.log_mu);
    *shared_.access_log << text << '\n';
  }

  // After refusing a request whose body is still arriving: stop sending,
  // read and drop what the client still sends (for a few seconds at most),
  // then close, so that the client reads the answer instead of a reset.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(5));
    Drain();
  }
  void Drain() {
    stream_.async_read_some(net::buffer(drain_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->Guarded([&] {
        if (ec) return self->Close();
        self->Drain();
      });
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    idle_since_ns_.store(0);
    std::lock_guard<std::mutex> lock(shared_.sessions_mu);
    shared_.sessions.erase(shared_from_this());
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;
  Admission admission_;
  std::shared_ptr<const Prepared> prepared_;
  std::string owned_;
  std::string id_line_;
  std::string address_;  // the client's IP address
  std::string remote_ = "-";
  std::string log_method_ = "-", log_target_ = "-";
  int status_ = 0;
  std::chrono::steady_clock::time_point started_;
  bool busy_ = false;
  bool lingering_ = false;
  bool keep_alive_ = false, http10_ = false, head_ = false;
  std::atomic<std::int64_t> idle_since_ns_{0};
  std::array<char, 16384> drain_;
};

}  // namespace connection

namespace {

using connection::Session;
using connection::Shared;

// Accept errors that mean "no room for another connection now": waiting is
// the answer, retrying at once only spins.
bool OutOfResources(const beast::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  const int e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

// Connections the descriptor limit leaves room for: RLIMIT_NOFILE less the
// descriptors open now and a reserve (an eighth of the limit, at least 32)
// for what serving opens besides sockets: each engine's database file and
// journal, the job lock, files served, the sanitizers' pipes in a test
// build. A process out of descriptors fails whatever opens one next, on any
// thread, so connections must not take the last ones.
std::size_t ConnectionsAllowed() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1u << 20;
  const auto soft = static_cast<std::size_t>(limit.rlim_cur);
  std::size_t open = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++open;
  if (ec) open = 16;  // no /proc: a guess at a process's usual few
  const std::size_t used = open + std::max<std::size_t>(32, soft / 8);
  return soft > used ? soft - used : 1;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Api api;
  net::io_context ioc;
  // On its own strand: accepting, its back-off timer and the shutdown's
  // close never run at once.
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::steady_timer accept_timer{acceptor.get_executor()};
  net::signal_set signals{ioc};
  std::optional<net::thread_pool> work;
  Shared shared;
  std::uint16_t port = 0;
  std::size_t max_connections = 0;  // options.max_connections, or what the descriptor limit allows
  // Connections refused or shed (at max_connections, or out of descriptors):
  // the current wait before accepting again (0: the last accept worked); an
  // episode lasts until kEpisodeEnd has passed without one, and is logged
  // once.
  static constexpr std::chrono::seconds kEpisodeEnd{5};
  std::chrono::milliseconds accept_backoff{0};
  bool in_episode = false;
  std::uint64_t refused_in_episode = 0;
  std::chrono::steady_clock::time_point last_refused;

  Impl(ServerOptions o, FileSystem& fs, Clock& clock) : options(std::move(o)), api(options, fs, clock) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      try {
        if (ec) {
          if (ec == net::error::operation_aborted || shared.stopping.load()) return;
          if (OutOfResources(ec)) {
            Refused("cannot accept connections: " + ec.message() +
                    "; closing idle keep-alive connections and retrying with back-off");
            CloseLongestIdle();
            return BackOff();
          }
          // Others (a connection reset before it was accepted): go on.
        } else if (!MakeRoom()) {
          beast::error_code ignored;
          socket.shutdown(tcp::socket::shutdown_both, ignored);
          socket.close(ignored);
          return BackOff();
        } else {
          accept_backoff = std::chrono::milliseconds(0);
          if (in_episode && std::chrono::steady_clock::now() - last_refused > kEpisodeEnd) {
            api.LogError("accepting connections again (" + std::to_string(refused_in_episode) +
                         " connections refused or shed meanwhile)");
            in_episode = false;
            refused_in_episode = 0;
          }
          auto session = std::make_shared<Session>(std::move(socket), shared);
          {
            std::lock_guard<std::mutex> lock(shared.sessions_mu);
            shared.sessions.insert(session);
          }
          session->Start();
        }
      } catch (const std::exception& e) {
        api.LogError(std::string("accept: unexpected exception: ") + e.what());
      }
      Accept();
    });
  }

  // A connection just accepted, at max_connections: the connection that has
  // waited longest for a request is closed to make room; false when every
  // one is answering (the new one is then closed).
  bool MakeRoom() {
    std::size_t open = 0;
    {
      std::lock_guard<std::mutex> lock(shared.sessions_mu);
      open = shared.sessions.size();
    }
    if (open < max_connections) return true;
    Refused("at the connection limit (" + std::to_string(max_connections) +
            ", --max-connections): each new connection closes the one idle longest, or is closed when none is idle");
    return CloseLongestIdle();
  }

  // Counts a connection refused or shed; the first of an episode is logged.
  void Refused(const std::string& why) {
    ++refused_in_episode;
    last_refused = std::chrono::steady_clock::now();
    if (!in_episode) {
      api.LogError(why);
      in_episode = true;
    }
  }

  // Accepts again after a wait that doubles up to 1 s while accepts keep
  // failing, instead of spinning.
  void BackOff() {
    if (accept_backoff.count() == 0) {
      accept_backoff = std::chrono::milliseconds(10);
    } else {
      accept_backoff = std::min(accept_backoff * 2, std::chrono::milliseconds(1000));
    }
    accept_timer.expires_after(accept_backoff);
    accept_timer.async_wait([this](beast::error_code wait_ec) {
      if (wait_ec || shared.stopping.load()) return;
      Accept();
    });
  }

  // False when no connection is idle.
  bool CloseLongestIdle() {
    std::shared_ptr<Session> oldest;
    std::int64_t oldest_ns = 0;
    std::lock_guard<std::mutex> lock(shared.sessions_mu);
    for (const auto& s : shared.sessions) {
      const std::int64_t since = s->idle_since_ns();
      if (since != 0 && (oldest == nullptr || since < oldest_ns)) {
        oldest = s;
        oldest_ns = since;
      }
    }
    if (oldest == nullptr) return false;
    oldest->CloseIfIdle();
    return true;
  }

  void Shutdown() {
    if (shared.stopping.exchange(true)) return;
    api.StopAcceptingJobs();  // a POST answered meanwhile gets 503
    net::post(acceptor.get_executor(), [this] {
      beast::error_code ec;
      acceptor.close(ec);
      accept_timer.cancel();
      signals.cancel(ec);
      std::set<std::shared_ptr<Session>> sessions;
      {
        std::lock_guard<std::mutex> lock(shared.sessions_mu);
        sessions = shared.sessions;
      }
      for (const auto& s : sessions) s->CloseIfIdle();
    });
  }

  // One I/O thread: an exception that escapes a handler is logged and the
  // loop goes on (Asio leaves the io_context usable).
  void RunLoop() {
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        api.LogError(std::string("I/O loop: unexpected exception: ") + e.what());
      } catch (...) {
        api.LogError("I/O loop: unexpected exception");
      }
    }
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, FileSystem& fs, Clock& clock) {
  if (options.work_threads < 1 || options.idle_timeout_s < 1 || options.body_timeout_s < 1) {
    return Status::InvalidArgument("server options: work_threads, idle_timeout_s and body_timeout_s must be >= 1");
  }
  auto impl = std::make_unique<Impl>(std::move(options), fs, clock);
  TRUCE_RETURN_IF_ERROR(impl->api.Check());
  impl->work.emplace(static_cast<std::size_t>(impl->options.work_threads));
  impl->shared.api = &impl->api;
  impl->shared.options = &impl->options;
  impl->shared.ioc = &impl->ioc;
  impl->shared.work = &*impl->work;
  impl->shared.access_log = impl->options.access_log;
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%08x", static_cast<unsigned>(std::random_device{}()));
  impl->shared.id_prefix = prefix;

  const std::string where = impl->options.host + ":" + std::to_string(impl->options.port);
  beast::error_code ec;
  const auto address = net::ip::make_address(impl->options.host, ec);
  if (ec) return Status::InvalidArgument("--listen " + where + ": '" + impl->options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(4096, ec);
  if (ec) return Status::IoError("cannot listen on " + where + ": " + ec.message());
  impl->port = impl->acceptor.local_endpoint().port();
  impl->max_connections = impl->options.max_connections;
  if (impl->max_connections == 0) {
    impl->max_connections = ConnectionsAllowed();
    if (impl->max_connections < 64) {
      impl->api.LogError("warning: at most " + std::to_string(impl->max_connections) +
                         " connections at once (the descriptor limit, ulimit -n, leaves room for no more)");
    }
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }

void Server::Stop() { impl_->Shutdown(); }

Status Server::Run() {
  Impl& s = *impl_;
  if (s.options.handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([&s](beast::error_code ec, int) {
      if (!ec) s.Shutdown();
    });
  }
  s.Accept();
  const int threads = std::max(1, s.options.threads);
  std::vector<std::thread> pool;
  for (int k = 1; k < threads; ++k) pool.emplace_back([&s] { s.RunLoop(); });
  s.RunLoop();
  for (auto& t : pool) t.join();
  s.work->join();
  // The job running finishes (one transaction: all or nothing); queued
  // ones fail without writing anything.
  if (const std::string said = s.api.ShutdownJobs(); !said.empty()) s.api.LogError(said);
  return Status::Ok();
}

}  // namespace truce::server
