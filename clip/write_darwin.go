//go:build darwin && cgo

package clip

/*
#cgo CFLAGS: -x objective-c
#cgo LDFLAGS: -framework AppKit
#import <AppKit/AppKit.h>

// anykeyCopyConcealed puts the UTF-8 text s (n bytes) on the general
// pasteboard as a string, beside org.nspasteboard.ConcealedType, in one
// pasteboard item; n == 0 only clears the pasteboard. It returns 1 on
// success.
static int anykeyCopyConcealed(const char *s, long n) {
	int ok = 0;
	@autoreleasepool {
		NSPasteboard *pb = [NSPasteboard generalPasteboard];
		[pb clearContents];
		if (n == 0) {
			return 1;
		}
		NSString *str = [[NSString alloc] initWithBytes:s length:(NSUInteger)n encoding:NSUTF8StringEncoding];
		if (str == nil) {
			return 0;
		}
		NSPasteboardItem *item = [[NSPasteboardItem alloc] init];
		if ([item setString:str forType:NSPasteboardTypeString] &&
			[item setString:@"" forType:@"org.nspasteboard.ConcealedType"]) {
			ok = [pb writeObjects:@[item]] ? 1 : 0;
		}
		[item release];
		[str release];
	}
	return ok;
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// In the .app build (cgo) the pasteboard is written through AppKit, so the
// copy can carry org.nspasteboard.ConcealedType beside the string: the
// marker clipboard managers that follow nspasteboard.org skip. pbcopy,
// which atotto/clipboard runs, writes plain text only. The pasteboard
// keeps the copy after anykey exits; the clearing helper works as before.
func init() { writeAll = writeConcealed }

func writeConcealed(text string) error {
	var p *C.char
	if text != "" {
		p = (*C.char)(unsafe.Pointer(unsafe.StringData(text)))
	}
	if C.anykeyCopyConcealed(p, C.long(len(text))) != 1 {
		return errors.New("the pasteboard refused the text")
	}
	return nil
}

func describe() (Tool, error) {
	return Tool{Name: "NSPasteboard", MarksSecret: true}, nil
}
