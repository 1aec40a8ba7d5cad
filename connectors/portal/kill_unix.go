//go:build unix

package portal

import "syscall"

// killGroup kills Chromium's process group (the launcher starts it as a
// group leader): renderers and the zygote go with the browser.
func killGroup(pid int) {
	if pid > 0 {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}
