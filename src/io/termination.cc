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

    extern "C" void
    record(const int signal)
    {
      if (received == 0)
        {
          received = signal;
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
