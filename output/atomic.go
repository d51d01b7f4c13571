package output

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// WriteFileAtomic writes the file at path the way the table writers do:
// write fills path+".tmp" (created with perm, before the umask, like
// os.WriteFile), which is closed and then renamed over path. If write, the
// close or the rename fails, the temporary file is removed, path is left as
// it was (absent or with its previous content) and the error names path.
//
// The file is not fsynced: like the rest of the output, it is protected
// against the process being killed, not against the machine losing power.
func WriteFileAtomic(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
