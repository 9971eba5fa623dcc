package io.skbtrail.server.dashboard;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives every page template {@code assets}, where its scripts and stylesheets are ({@link StaticAssets}). */
@ControllerAdvice
class AssetsModel {
    private final StaticAssets assets;

    AssetsModel(StaticAssets assets) {
        this.assets = assets;
    }

    @ModelAttribute("assets")
    String assets() {
        return assets.getPrefix();
    }
}
