package dev.parley.desktop.notify;

import java.util.function.BiConsumer;

/** The fallback everywhere: a small toast inside the app's window, drawn by the view it is given. */
public final class ToastNotifier implements Notifier {
    private final BiConsumer<String, String> toast;

    public ToastNotifier(BiConsumer<String, String> toast) {
        this.toast = toast;
    }

    @Override
    public void show(String title, String body) {
        toast.accept(title, body);
    }

    @Override
    public String name() {
        return "toast";
    }
}
