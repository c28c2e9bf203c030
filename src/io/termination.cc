#include <scalebridge/io/termination.h>

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

namespace scalebridge::io
{
  namespace
  {
    volatile std::sig_atomic_t received   = 0;
    unsigned int               grace_time = 10;
    /// remove_if_empty_on_termination(): fixed buffers, so that the handler
    /// reads no object that could be half-changed; `armed` is set last.
    char                       empty_folder[4096];
    char                       lock_file[4096];
    volatile std::sig_atomic_t armed = 0;

    extern "C" void
    record(const int signal)
    {
      if (received == 0)
        {
          received = signal;
          if (armed && ::rmdir(empty_folder) == 0)
            ::unlink(lock_file);
          // Async-signal-safe: SIGALRM's default action ends the process
          // if no safe point is reached in time.
          alarm(grace_time);
        }
    }

    void
    install(void (*handler)(int))
    {
      struct sigaction action;
      std::memset(&action, 0, sizeof(action));
      action.sa_handler = handler;
      sigemptyset(&action.sa_mask);
      for (const int s : {SIGTERM, SIGINT, SIGHUP})
        sigaction(s, &action, nullptr);
      action.sa_handler = SIG_DFL;
      sigaction(SIGALRM, &action, nullptr);
    }
  } // namespace

  Terminated::Terminated(const std::string &what)
    : std::runtime_error(what)
  {
  }

  void
  record_termination_signals(const unsigned int grace_seconds)
  {
    grace_time = grace_seconds;
    install(record);
  }

  void
  default_termination_signals()
  {
    install(SIG_DFL);
  }

  void
  remove_if_empty_on_termination(const std::string &folder,
                                 const std::string &lock)
  {
    armed = 0;
    if (folder.empty() || folder.size() >= sizeof(empty_folder)
        || lock.size() >= sizeof(lock_file))
      return;
    std::memcpy(empty_folder, folder.c_str(), folder.size() + 1);
    std::memcpy(lock_file, lock.c_str(), lock.size() + 1);
    armed = 1;
  }

  int
  termination_signal()
  {
    return received;
  }

  void
  stop_if_terminated(MPI_Comm communicator, const std::string &where)
  {
    int local = received, global = local;
    MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MAX, communicator);
    if (global != 0)
      throw Terminated(std::string("stopped by ")
                       + (global == SIGINT   ? "SIGINT"
                          : global == SIGHUP ? "SIGHUP"
                                             : "SIGTERM")
                       + " " + where);
  }
} // namespace scalebridge::io
