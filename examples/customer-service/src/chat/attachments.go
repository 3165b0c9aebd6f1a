package chat

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
)

// implements REQ-0005: images and files in chat.

// MaxAttachmentSize is the largest file a customer or an agent may send.
const MaxAttachmentSize = 10 << 20 // 10 MB

var allowedTypes = map[string]string{
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".pdf":  "application/pdf",
}

// Attachment is a file sent in a conversation.
type Attachment struct {
	Name        string
	ContentType string
	Size        int64
	StorageKey  string
}

// Scanner checks a file for malware before it is stored.
type Scanner interface {
	Scan(ctx context.Context, data []byte) (clean bool, err error)
}

var (
	ErrTooLarge        = errors.New("文件超过 10 MB，请压缩后重新发送 (file larger than 10 MB)")
	ErrUnsupportedType = errors.New("仅支持 JPG、PNG 和 PDF 文件 (only JPG, PNG and PDF files)")
	ErrInfected        = errors.New("文件未通过病毒扫描 (file failed the virus scan)")
)

// CheckAttachment validates a file and scans it. Only a file that passes is
// handed to storage.
func CheckAttachment(ctx context.Context, sc Scanner, name string, data []byte) (Attachment, error) {
	ext := strings.ToLower(path.Ext(name))
	ct, ok := allowedTypes[ext]
	if !ok {
		return Attachment{}, ErrUnsupportedType
	}
	if len(data) > MaxAttachmentSize {
		return Attachment{}, ErrTooLarge
	}
	clean, err := sc.Scan(ctx, data)
	if err != nil {
		return Attachment{}, fmt.Errorf("virus scan: %w", err)
	}
	if !clean {
		return Attachment{}, ErrInfected
	}
	return Attachment{Name: name, ContentType: ct, Size: int64(len(data))}, nil
}
