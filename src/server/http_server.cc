// Sockets: Boost.Beast/Asio. One acceptor, N threads running one io_context,
// one strand per connection. Each request is parsed by Beast, answered by
// Api::Handle on the connection's thread, and written with one async_write.
// Boost 1.74's Asio uses std::exchange without including <utility> (C++20).
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "api.h"
#include "truce/server/server.h"

namespace truce::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// Idle keep-alive connections are closed after this; a request must arrive
// whole within it too.
constexpr std::chrono::seconds kIdleTimeout{120};

class Session;

// What sessions share: the API, the log, and the set of live sessions (so
// that a shutdown can close the idle ones).
struct Shared {
  Api* api = nullptr;
  std::size_t max_body_bytes = 0;
  std::ostream* access_log = nullptr;
  std::mutex log_mu;
  std::mutex sessions_mu;
  std::set<std::shared_ptr<Session>> sessions;
  std::atomic<bool> stopping{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void Start() {
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
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

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(shared_.max_body_bytes);
    parser_->header_limit(16 * 1024);
    busy_ = false;
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    busy_ = true;
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      lingering_ = true;
      const std::string limit = std::to_string(shared_.max_body_bytes);
      return WriteOwned(
          Serialize(ErrorResponse(413, "too_large", "the request body is larger than " + limit + " bytes"), false),
          413, "-", "-", false);
    }
    if (ec) {
      lingering_ = true;
      return WriteOwned(Serialize(ErrorResponse(400, "bad_request", ec.message()), false), 400, "-", "-", false);
    }
    auto& req = parser_->get();
    const auto started = std::chrono::steady_clock::now();
    Request in;
    in.method = std::string(req.method_string());
    in.target = std::string(req.target());
    in.authorization = std::string(req[http::field::authorization]);
    in.content_type = std::string(req[http::field::content_type]);
    in.body = std::move(req.body());
    const bool keep_alive = req.keep_alive() && !shared_.stopping.load();
    const bool http10 = req.version() == 10;
    const bool head = req.method() == http::verb::head;
    if (head) in.method = "GET";
    prepared_ = shared_.api->Handle(in);
    started_ = started;
    const int status = prepared_->response.status;
    if (keep_alive && !http10 && !head) {
      return Write(net::buffer(prepared_->wire), status, in.method, in.target, true);
    }
    std::string wire = Serialize(prepared_->response, keep_alive, http10 && keep_alive);
    if (head) wire.resize(wire.find("\r\n\r\n") + 4);
    WriteOwned(std::move(wire), status, in.method, in.target, keep_alive);
  }

  void WriteOwned(std::string wire, int status, const std::string& method, const std::string& target,
                  bool keep_alive) {
    owned_ = std::move(wire);
    Write(net::buffer(owned_), status, method, target, keep_alive);
  }

  void Write(net::const_buffer buf, int status, const std::string& method, const std::string& target,
             bool keep_alive) {
    const std::size_t bytes = buf.size();
    net::async_write(stream_, buf,
                     [self = shared_from_this(), status, method, target, keep_alive, bytes](beast::error_code ec,
                                                                                           std::size_t) {
                       self->Log(method, target, status, bytes);
                       self->prepared_.reset();
                       self->owned_.clear();
                       if (!ec && self->lingering_) return self->Linger();
                       if (ec || !keep_alive || self->shared_.stopping.load()) return self->Close();
                       self->Read();
                     });
  }

  void Log(const std::string& method, const std::string& target, int status, std::size_t bytes) {
    if (shared_.access_log == nullptr) return;
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    nlohmann::json line = {{"time", time::FormatInstantUtc(now)}, {"remote", remote_}, {"method", method},
                           {"target", target}, {"status", status}, {"bytes", bytes}, {"us", us}};
    std::lock_guard<std::mutex> lock(shared_.log_mu);
    *shared_.access_log << line.dump() << '\n';
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
      if (ec) return self->Close();
      self->Drain();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    std::lock_guard<std::mutex> lock(shared_.sessions_mu);
    shared_.sessions.erase(shared_from_this());
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const Prepared> prepared_;
  std::string owned_;
  std::string remote_ = "-";
  std::chrono::steady_clock::time_point started_;
  bool busy_ = false;
  bool lingering_ = false;
  std::array<char, 16384> drain_;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Api api;
  net::io_context ioc;
  // On its own strand: accepting and the shutdown's close never run at once.
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::signal_set signals{ioc};
  Shared shared;
  std::uint16_t port = 0;

  Impl(ServerOptions o, FileSystem& fs, Clock& clock) : options(std::move(o)), api(options, fs, clock) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || shared.stopping.load()) return;
      } else {
        auto session = std::make_shared<Session>(std::move(socket), shared);
        {
          std::lock_guard<std::mutex> lock(shared.sessions_mu);
          shared.sessions.insert(session);
        }
        session->Start();
      }
      Accept();
    });
  }

  void Shutdown() {
    if (shared.stopping.exchange(true)) return;
    net::post(acceptor.get_executor(), [this] {
      beast::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      std::set<std::shared_ptr<Session>> sessions;
      {
        std::lock_guard<std::mutex> lock(shared.sessions_mu);
        sessions = shared.sessions;
      }
      for (const auto& s : sessions) s->CloseIfIdle();
    });
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, FileSystem& fs, Clock& clock) {
  auto impl = std::make_unique<Impl>(std::move(options), fs, clock);
  TRUCE_RETURN_IF_ERROR(impl->api.Check());
  impl->shared.api = &impl->api;
  impl->shared.max_body_bytes = impl->options.max_body_bytes;
  impl->shared.access_log = impl->options.access_log;

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
  for (int k = 1; k < threads; ++k) pool.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : pool) t.join();
  return Status::Ok();
}

}  // namespace truce::server
