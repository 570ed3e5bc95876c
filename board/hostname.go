package board

const (
	fileHostname      = "proc/sys/kernel/hostname"
	fileKernelRelease = "proc/sys/kernel/osrelease"
	fileSysinfoModel  = "tmp/sysinfo/model"
	fileSysinfoBoard  = "tmp/sysinfo/board_name"
)

// Hostname reads /proc/sys/kernel/hostname.
func (b *Board) Hostname() (string, error) {
	return b.readAttribute(fileHostname)
}

// KernelRelease reads /proc/sys/kernel/osrelease, e.g. "5.15.150".
func (b *Board) KernelRelease() (string, error) {
	return b.readAttribute(fileKernelRelease)
}

// Model reads /tmp/sysinfo/model, the model name OpenWrt's boot scripts
// write, e.g. "Xiaomi Mi Router 4A Gigabit Edition".
func (b *Board) Model() (string, error) {
	return stableRead(b, fileSysinfoModel, 0, func(data []byte) (string, error) {
		return parseAttribute(fileSysinfoModel, data)
	})
}

// BoardName reads /tmp/sysinfo/board_name, the board id OpenWrt's boot
// scripts write, e.g. "xiaomi,mi-router-4a-gigabit".
func (b *Board) BoardName() (string, error) {
	return stableRead(b, fileSysinfoBoard, 0, func(data []byte) (string, error) {
		return parseAttribute(fileSysinfoBoard, data)
	})
}
